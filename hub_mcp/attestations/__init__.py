"""What images say about themselves: in-toto statements (SBOM, SLSA provenance) read from registries.

Pure parsing here, no I/O: :mod:`.statements` (the in-toto envelope), :mod:`.purl` (package URLs),
:mod:`.sbom` (SPDX 2.x packages) and :mod:`.provenance` (SLSA v0.2 and v1 as BuildKit writes them).
Sources: ``../shared/docs/security-facts.md`` and the documents each module names.
"""
