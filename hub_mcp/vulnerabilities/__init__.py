"""What OSV (osv.dev) knows is wrong with an image's packages, from its SBOM.

:mod:`.ecosystems` turns an SBOM package into an OSV question (source packages and releases for distributions,
package URLs for language packages); :mod:`.osv` asks OSV's API (query batches, records cached by id and modified
time); :mod:`.severity` rates a record (CVSS vectors through the ``cvss`` package, else the record's words);
:mod:`.versions` orders dpkg, apk and SemVer versions to pick the fixed version; :mod:`.report` puts it together:
``await assess(OsvClient(http, settings.osv_url), sbom)`` is a :class:`VulnerabilityReport`.
Plain async Python, no MCP. Sources: ``../shared/docs/security-facts.md`` (OSV) and the documents each module names.
"""

from hub_mcp.vulnerabilities.ecosystems import MAX_QUERIES, NotCovered, Query, query_for
from hub_mcp.vulnerabilities.osv import DEFAULT_URL, OsvClient, Usage, VulnRecord, VulnRef
from hub_mcp.vulnerabilities.report import Finding, VulnerabilityReport, assess
from hub_mcp.vulnerabilities.severity import LEVELS, Level, Rating

__all__ = [
    "DEFAULT_URL",
    "LEVELS",
    "MAX_QUERIES",
    "Finding",
    "Level",
    "NotCovered",
    "OsvClient",
    "Query",
    "Rating",
    "Usage",
    "VulnRecord",
    "VulnRef",
    "VulnerabilityReport",
    "assess",
    "query_for",
]
