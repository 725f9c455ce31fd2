"""Tag and base-image advice.

``hub_mcp.advisor.tags`` holds the Docker tag grammar (parsing, classification, ordering and
"closest existing tag" suggestions). It is pure Python: no I/O, no ``mcp``, no ``httpx``.
"""
