"""How bad a vulnerability is, from what an OSV record says: a CVSS vector, else a word.

**Vectors** [documented: osv-schema docs/schema.md "severity[].type": ``CVSS_V2``, ``CVSS_V3``, ``CVSS_V4`` hold a
vector string, ``Ubuntu`` a lowercased Ubuntu priority]. The base score of a vector is computed by the ``cvss``
package (Red Hat's, maintained, implements CVSS 2.0, 3.0/3.1 and 4.0: a well-kept library scores better than code of
ours), and mapped to FIRST's qualitative bands [documented: CVSS v3.1 specification section 5 and v4.0 section 6,
the same bands: none 0.0, low 0.1-3.9, medium 4.0-6.9, high 7.0-8.9, critical 9.0-10.0]. CVSS 2.0 has no critical
band: NVD's v2 bands apply (low 0-3.9, medium 4.0-6.9, high 7.0-10.0) [documented: nvd.nist.gov/vuln-metrics/cvss].
The newest CVSS version a record has wins (v4, then v3, then v2); within it the highest score. A severity given in
the ``affected[]`` entry of the package is preferred to the record's own (osv-schema: it applies to that package).

**Words**, when no vector can be read:

- ``database_specific.severity`` of GitHub advisories: ``LOW`` / ``MODERATE`` / ``HIGH`` / ``CRITICAL``
  [documented: github/advisory-database README, "database_specific"]; ``MODERATE`` is medium.
- ``ecosystem_specific.severity`` (OSS-Fuzz writes ``HIGH`` etc.) [documented: google/osv.dev docs/api/get-v1-vulns.md
  sample]; the same four words read the same way [assumed for other databases that use the key].
- ``ecosystem_specific.urgency`` of Debian's security tracker records (``DEBIAN-CVE-…``) [documented: google/osv.dev
  vulnfeeds/cmd/converters/debian writes it; levels per security-team.debian.org "severity levels": unimportant, low,
  medium, high, not yet assigned, end-of-life]. [assumed] ``unimportant`` reads as low; ``not yet assigned`` and
  ``end-of-life`` as unknown; a trailing ``*`` or ``**`` (the tracker's marks) is dropped.
- An ``Ubuntu`` severity entry: negligible, low, medium, high, critical [documented: ubuntu.com/security/cves/about,
  "priority"]; [assumed] negligible reads as low.

Anything else is ``unknown``: never rated lower than it may be.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from cvss import CVSS2, CVSS3, CVSS4  # type: ignore[import-untyped]
from cvss.exceptions import CVSSError  # type: ignore[import-untyped]

Level = Literal["critical", "high", "medium", "low", "none", "unknown"]
LEVELS: tuple[Level, ...] = ("critical", "high", "medium", "low", "none", "unknown")
"""Most severe first: the order findings are listed and counted in."""

MAX_VECTOR = 512  # a CVSS vector is under 200 characters; longer is not read


@dataclass(frozen=True)
class Vector:
    """One ``severity[]`` entry of a record: ``type`` (``CVSS_V3``, ``CVSS_V4``, ``CVSS_V2``, ``Ubuntu``) and
    ``score`` (the vector string, or the Ubuntu word)."""

    type: str
    score: str


@dataclass(frozen=True)
class Rating:
    """A severity level, the base score when a vector gave one, and where it came from (``"CVSS_V3 vector"``,
    ``"GitHub severity word"``, ...)."""

    level: Level
    score: float | None
    source: str

    def rank(self) -> tuple[int, float]:
        """Sort key, most severe first: the level's place, then the score (higher first)."""
        return LEVELS.index(self.level), -(self.score if self.score is not None else -1.0)


UNKNOWN = Rating("unknown", None, "no severity in the record")


def band(score: float) -> Level:
    """FIRST's qualitative band of a CVSS v3/v4 base score."""
    if score <= 0.0:
        return "none"
    if score < 4.0:
        return "low"
    if score < 7.0:
        return "medium"
    if score < 9.0:
        return "high"
    return "critical"


def _band_v2(score: float) -> Level:
    if score < 4.0:
        return "low"
    return "medium" if score < 7.0 else "high"


def score_vector(vector: Vector) -> Rating | None:
    """The rating one CVSS vector gives, or ``None`` when it is not a vector the ``cvss`` package reads."""
    text = vector.score.strip()
    if not text or len(text) > MAX_VECTOR:
        return None
    try:
        if vector.type == "CVSS_V4" or text.startswith("CVSS:4."):
            score = float(CVSS4(text).base_score)
            return Rating(band(score), score, "CVSS_V4 vector")
        if vector.type == "CVSS_V3" or text.startswith("CVSS:3."):
            score = float(CVSS3(text).base_score)
            return Rating(band(score), score, "CVSS_V3 vector")
        if vector.type == "CVSS_V2":
            score = float(CVSS2(text).base_score)
            return Rating(_band_v2(score), score, "CVSS_V2 vector")
    except (CVSSError, ValueError, KeyError, TypeError, ArithmeticError):
        return None
    return None


_VERSION_RANK = {"CVSS_V4 vector": 3, "CVSS_V3 vector": 2, "CVSS_V2 vector": 1}

_WORDS: dict[str, Level] = {
    "critical": "critical",
    "high": "high",
    "important": "high",
    "moderate": "medium",
    "medium": "medium",
    "low": "low",
    "negligible": "low",
    "unimportant": "low",
}


def read_word(word: object, source: str) -> Rating | None:
    """The rating a severity word gives (``HIGH``, ``moderate``, ``unimportant``, ``low**``), or ``None``."""
    if not isinstance(word, str):
        return None
    level = _WORDS.get(word.strip().rstrip("*").strip().lower())
    return Rating(level, None, source) if level else None


def rate(vectors: Sequence[Vector], words: Iterable[tuple[str, object]] = ()) -> Rating:
    """The rating of a record (or of one ``affected[]`` entry): the newest CVSS version's highest score, else the
    first word that reads (``words`` as (source, word) pairs, most trusted first), else unknown."""
    best: Rating | None = None
    for vector in vectors:
        if vector.type == "Ubuntu":
            continue
        rating = score_vector(vector)
        if rating is None:
            continue
        if best is None or (_VERSION_RANK[rating.source], rating.score or 0.0) > (
            _VERSION_RANK[best.source],
            best.score or 0.0,
        ):
            best = rating
    if best is not None:
        return best
    for vector in vectors:
        if vector.type == "Ubuntu" and (rating := read_word(vector.score, "Ubuntu priority")) is not None:
            return rating
    for source, word in words:
        if (rating := read_word(word, source)) is not None:
            return rating
    return UNKNOWN


def worst(ratings: Iterable[Rating]) -> Rating:
    """The most severe of ``ratings`` (unknown when there are none)."""
    return min(ratings, key=Rating.rank, default=UNKNOWN)


def shown_counts(counts: Mapping[str, int]) -> dict[str, int]:
    """Findings per severity as every answer gives them: in :data:`LEVELS` order, levels with none left out
    (an absent level is 0; an unknown total is no dict at all, never an empty one)."""
    return {level: counts[level] for level in LEVELS if counts.get(level)}
