"""What the model receives: ``views`` (the pydantic models every tool answers with) and
``documents`` (the markdown and JSON documents resources serve)."""
