"""The in-toto Statement every BuildKit attestation blob is.

[documented: moby/buildkit docs/attestations/attestation-storage.md; in-toto/attestation spec/v1/statement.md]
A blob of media type ``application/vnd.in-toto+json`` holds one JSON object: ``_type``
(``https://in-toto.io/Statement/v0.1`` or ``/v1``), ``subject`` (a list of ``{name, digest: {alg: hex}}``),
``predicateType`` (a URI) and ``predicate`` (an object whose shape the predicate type says).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hub_mcp.net import jsontext
from hub_mcp.vocab.common import quoted

IN_TOTO_MEDIA_TYPE = "application/vnd.in-toto+json"
STATEMENT_TYPES = frozenset({"https://in-toto.io/Statement/v0.1", "https://in-toto.io/Statement/v1"})
SPDX = "https://spdx.dev/Document"
SLSA_V02 = "https://slsa.dev/provenance/v0.2"
SLSA_V1 = "https://slsa.dev/provenance/v1"


class NotAStatement(ValueError):
    """The blob is not an in-toto Statement (says why, in a clause)."""


@dataclass(frozen=True)
class Subject:
    name: str
    digests: dict[str, str]  # algorithm → lowercase hex

    def digest(self) -> str | None:
        """``sha256:<hex>`` when the subject gives a SHA-256."""
        value = self.digests.get("sha256")
        return f"sha256:{value}" if value else None


@dataclass(frozen=True)
class Statement:
    statement_type: str
    predicate_type: str
    subjects: tuple[Subject, ...]
    predicate: dict[str, Any]


def parse_statement(data: bytes | str) -> Statement:
    """The Statement in ``data``; :class:`NotAStatement` when it is not one (JSON nested too deep included)."""
    try:
        value = jsontext.loads(data)
    except ValueError as exc:
        raise NotAStatement(f"not JSON ({exc})") from None
    if not isinstance(value, dict):
        raise NotAStatement("not a JSON object")
    kind = value.get("_type")
    if kind not in STATEMENT_TYPES:
        raise NotAStatement(f"_type is not an in-toto Statement ({quoted(kind)})")
    predicate_type = value.get("predicateType")
    if not isinstance(predicate_type, str) or not predicate_type:
        raise NotAStatement("no predicateType")
    predicate = value.get("predicate")
    if not isinstance(predicate, dict):
        raise NotAStatement("the predicate is not an object")
    subjects = []
    for entry in value.get("subject") or []:
        if not isinstance(entry, dict):
            continue
        given = entry.get("digest")
        digests: dict[Any, Any] = given if isinstance(given, dict) else {}
        kept = {str(k).lower(): str(v).lower() for k, v in digests.items() if isinstance(v, str)}
        subjects.append(Subject(str(entry.get("name") or ""), kept))
    return Statement(kind, predicate_type, tuple(subjects), predicate)
