"""The bundled DHI table against ../shared/data (skipped without it, except in CI, where it must be there).

* hardened-images/catalog.jsonl.gz: an extraction of the same public catalog at the same commit. Every
  definition of the table is there with the same tags, variant, distro, platforms, run-as user and dates,
  and the counts are equal. When the table is regenerated at another commit than the extraction's, the
  differences are reported (not failed) and the counts are not compared.
* official-images/library: the official repositories. For every one that has a DHI counterpart,
  equivalent() for its newest line on debian and on alpine names an existing DHI tag of that line and
  family, the runtime variant for a runtime stage and -dev for a build stage; where DHI lacks the line,
  the closest existing line or none. The number covered is printed (pytest -s) and checked against an
  independent count from the extraction.
"""

from __future__ import annotations

import gzip
import json
import os
import re
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from hub_mcp.hardened import counterpart, definitions, equivalent, images, lookup, table_info
from hub_mcp.hardened import table as table_module
from hub_mcp.vocab.tags import parse_tag

SHARED_DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
CATALOG = SHARED_DATA / "hardened-images" / "catalog.jsonl.gz"
LIBRARY = SHARED_DATA / "official-images" / "library"
IN_CI = os.environ.get("CI") == "true"  # CI has ../shared beside the clone: there these checks must run
#: The commit of ../shared/data/hardened-images (its README).
EXTRACTION_COMMIT = "30c3db971dffbab14c3e400e021e76c27ef950fe"

pytestmark = pytest.mark.skipif(not CATALOG.exists() and not IN_CI, reason=f"{CATALOG} is not present")


def shared_file(path: Path) -> Path:
    """``path`` under ../shared/data; in CI (where it must be there) a missing file fails in one line."""
    if not path.exists():
        pytest.fail(f"{path} is missing: run the tests from a checkout with ../shared/data beside it.", pytrace=False)
    return path


def catalog_rows() -> list[dict[str, Any]]:
    with gzip.open(shared_file(CATALOG), "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def _numbers(tag: str) -> tuple[int, ...] | None:
    m = re.match(r"\d+(?:\.\d+)*", tag.split("-")[0])
    return tuple(int(n) for n in m.group(0).split(".")) if m else None


# --------------------------------------------------------------------------------------
# The table equals the extraction
# --------------------------------------------------------------------------------------


def test_every_tag_of_the_table_is_in_the_catalog_with_the_same_facts() -> None:
    same_commit = table_info()["commit"] == EXTRACTION_COMMIT
    by_tag: dict[tuple[str, str], dict[str, Any]] = {}
    for row in catalog_rows():
        for tag in row["tags"]:
            by_tag[(row["image"], tag)] = row
    missing, different = [], []
    for name in images():
        for d in definitions(name):
            for tag in d.tags:
                row = by_tag.get((d.repository, tag))
                if row is None:
                    missing.append(f"{d.repository}:{tag}")
                    continue
                ours = (d.variant, d.distro, list(d.platforms), d.run_as, d.release, d.end_of_life)
                theirs = (
                    row["variant"],
                    row["distro"],
                    row["platforms"],
                    row["run_as"],
                    *(None if row[k] is None else date.fromisoformat(row[k]) for k in ("release", "end_of_life")),
                )
                if ours != theirs:
                    different.append(f"{d.repository}:{tag}: table {ours} catalog {theirs}")
    if same_commit:
        assert missing == [] and different == [], (missing[:10], different[:10])
    else:  # another commit: report, do not fail
        print(f"table at {table_info()['commit']}, extraction at {EXTRACTION_COMMIT}: "
              f"{len(missing)} tags not in the extraction, {len(different)} with other facts")


def test_the_counts_and_the_tag_order_equal_the_catalog() -> None:
    rows = catalog_rows()
    info = table_info()
    if info["commit"] != EXTRACTION_COMMIT:  # another commit: the counts differ by design; say how much
        print(f"table at {info['commit']}: {info['images']} images, {info['definitions']} definitions, "
              f"{info['tags']} tags; extraction at {EXTRACTION_COMMIT}: {len(rows)} definitions")
        return
    assert (info["images"], info["definitions"], info["tags"]) == (
        len({r["image"] for r in rows}),
        len(rows),
        sum(len(r["tags"]) for r in rows),
    )
    per_image: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for r in rows:  # sorted by image, then path: the table keeps the same order
        per_image[r["image"]].append(tuple(r["tags"]))
    for name in images():
        assert [d.tags for d in definitions(name)] == per_image[f"dhi.io/{name}"], name


# --------------------------------------------------------------------------------------
# Official images -> equivalents
# --------------------------------------------------------------------------------------


def library_tags(path: Path) -> list[str]:
    """The ``Tags:`` and ``SharedTags:`` of a bashbrew library file (continuation lines included)."""
    tags: list[str] = []
    current = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith(("Tags:", "SharedTags:")):
            current = True
            tags += [t.strip() for t in line.split(":", 1)[1].split(",") if t.strip()]
        elif current and line[:1].isspace() and line.strip():
            tags += [t.strip() for t in line.split(",") if t.strip()]
        else:
            current = False
    return tags


def newest_official_line(repository: str, precision: int) -> tuple[int, ...] | None:
    """The newest production version line among the official tags (date stamps such as debian's
    ``trixie-20260803`` are not versions)."""
    best = None
    for tag in library_tags(LIBRARY / repository):
        parsed = parse_tag(tag)
        if parsed.version is None or parsed.non_production or re.fullmatch(r"(19|20)\d{6}", str(parsed.version[0])):
            continue
        if len(parsed.version) < precision:
            continue
        line = parsed.version[:precision]
        best = line if best is None or line > best else best
    return best


def dhi_has_line(rows: list[dict[str, Any]], image: str, family: str, variant: str, line: tuple[int, ...]) -> bool:
    """From the extraction, not the table: a definition of that image, family and variant tags that line."""
    for r in rows:
        if r["image"] != f"dhi.io/{image}" or r["variant"] != variant or not r["distro"].startswith(family + "-"):
            continue
        versions = [v for v in map(_numbers, r["tags"]) if v is not None]
        if not versions:  # debian-base tags are codenames (trixie): its line is the distro release
            versions = [tuple(int(n) for n in r["distro"].split("-")[1].split("."))]
        if any(v[: len(line)] == line for v in versions):
            return True
    return False


def test_every_official_image_with_a_dhi_counterpart_gets_an_existing_tag_of_its_newest_line() -> None:
    rows = catalog_rows()
    official = sorted(p.name for p in shared_file(LIBRARY).iterdir() if library_tags(p))
    covered: set[str] = set()
    expected_covered: set[str] = set()
    problems: list[str] = []
    asked = 0
    for repository in official:
        name = counterpart(repository)
        if name is None:
            continue
        precision = table_module._precision(repository, name)
        for family in ("debian", "alpine"):
            line = newest_official_line(repository, precision)
            if line is None:
                continue
            for stage, variant in (("runtime", "runtime"), ("build", "dev")):
                asked += 1
                found = equivalent(repository, line, family, stage)  # type: ignore[arg-type]
                has = dhi_has_line(rows, name, family, variant, line)
                where = f"{repository}:{'.'.join(map(str, line))} {family} {stage}"
                if found is None:
                    if has:
                        problems.append(f"{where}: none, but DHI has that line")
                    continue
                if lookup(found.reference) is None or not found.image.endswith(f"/{name}"):
                    problems.append(f"{where}: {found.reference} is not a tag of the table")
                if found.variant != variant or not found.distro.startswith(family + "-"):
                    problems.append(f"{where}: {found.reference} is {found.variant} on {found.distro}")
                if found.exact:
                    if _numbers(found.tag) is None and found.image.endswith("/debian-base"):
                        pass  # debian-base tags are codenames: its line is the distro release
                    elif (_numbers(found.tag) or ())[: len(line)] != line:
                        problems.append(f"{where}: {found.reference} is not on that line")
                    if stage == "runtime":
                        covered.add(repository)
                elif has:
                    problems.append(f"{where}: closest {found.reference}, but DHI has that line")
                if has and stage == "runtime":
                    expected_covered.add(repository)
    print(f"\nofficial repositories with a library entry: {len(official)}; with a DHI counterpart: "
          f"{sum(counterpart(r) is not None for r in official)}; covered on their newest debian or alpine line: "
          f"{len(covered)} ({asked} questions)")
    assert problems == [], problems[:20]
    assert covered == expected_covered
    assert len(covered) >= 40  # the catalog of 2026 covers most popular official images: a collapse is a bug
