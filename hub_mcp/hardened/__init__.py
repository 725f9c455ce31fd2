"""Docker Hardened Images (DHI): the catalog table bundled with the package and the hardened
equivalent of an official image (:mod:`hub_mcp.hardened.table`).

Importing this package reads nothing: the table (``dhi.json``) is loaded on the first question.
"""

from hub_mcp.hardened.table import (
    OFFICIAL_ALIASES,
    DhiDefinition,
    DhiTag,
    Stage,
    counterpart,
    definitions,
    equivalent,
    images,
    lookup,
    table_info,
)

__all__ = [
    "OFFICIAL_ALIASES",
    "DhiDefinition",
    "DhiTag",
    "Stage",
    "counterpart",
    "definitions",
    "equivalent",
    "images",
    "lookup",
    "table_info",
]
