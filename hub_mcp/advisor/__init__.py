"""Base-image advice: suggest_base_images (``suggest``) and review_base_images (``review``).

The vocabulary it shares with the read tools lives beside ``references.py``: the tag grammar
(``hub_mcp.vocab.tags``) and the end-of-life table (``hub_mcp.vocab.lifecycle``). Nothing here imports
``mcp``.
"""
