#!/usr/bin/env python3
"""Regenerate hub_mcp/hardened/dhi.json from the public Docker Hardened Images catalog.

    python scripts/dhi_table.py CATALOG_GIT_DIR [--commit SHA] [--output hub_mcp/hardened/dhi.json]

CATALOG_GIT_DIR is a clone (bare or not) of https://github.com/docker-hardened-images/catalog; the
table is read at --commit (default: HEAD, resolved to its full hash and recorded in the JSON with its
commit date). Nothing is fetched: the script only runs ``git`` on that directory.

What it reads: every ``image/<image>/<distro>/<name>.yaml`` that has an ``image:`` key (an image
definition; helper YAML files without one and the per-image ``info.yaml`` are skipped). What it keeps
per definition: variant, the ``<distro>`` folder, tags (in file order), platforms, ``accounts.run-as``,
``dates.release`` and ``dates.end-of-life``. Definitions are ordered by path within an image, images
by name.

Dev-only: it needs PyYAML (a test dependency of the project: ``pip install -e .[test]``); the package
reads the JSON it writes and never needs YAML. Scalars are read as strings (PyYAML's BaseLoader), so
that an unquoted ``- 3.10`` stays the tag ``3.10`` and is not turned into the number 3.1.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

REPOSITORY = "https://github.com/docker-hardened-images/catalog"
REGISTRY = "dhi.io"
DEFAULT_OUTPUT = Path(__file__).resolve().parent.parent / "hub_mcp" / "hardened" / "dhi.json"
#: The catalog held ~2,600 definition files in 2026; a tree far bigger than this is not the catalog.
MAX_FILES = 50_000
#: A definition file is a few KB; bigger ones are refused rather than read whole.
MAX_FILE_BYTES = 2_000_000
_DEFINITION_PATH = re.compile(r"^image/(?P<image>[^/]+)/(?P<distro>[^/]+)/[^/]+\.ya?ml$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def git(repo: Path, *args: str) -> bytes:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True).stdout


def read_blobs(repo: Path, commit: str, paths: list[str]) -> dict[str, bytes]:
    """The files at ``commit``, through one ``git cat-file --batch``."""
    request = "".join(f"{commit}:{path}\n" for path in paths).encode()
    out = subprocess.run(
        ["git", "-C", str(repo), "cat-file", "--batch"], input=request, check=True, capture_output=True
    ).stdout
    blobs: dict[str, bytes] = {}
    pos = 0
    for path in paths:
        end = out.index(b"\n", pos)
        header = out[pos:end].split()
        if len(header) != 3 or header[1] != b"blob":
            raise SystemExit(f"dhi_table: {path} at {commit} is not a file: {header!r}")
        size = int(header[2])
        if size > MAX_FILE_BYTES:
            raise SystemExit(f"dhi_table: {path} is {size} bytes, more than {MAX_FILE_BYTES}: not a definition")
        blobs[path] = out[end + 1 : end + 1 + size]
        pos = end + 1 + size + 1
    return blobs


def _date(value: Any, where: str) -> str | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str) or not _DATE.match(value):
        raise SystemExit(f"dhi_table: {where}: a date must be YYYY-MM-DD, got {value!r}")
    return value


def _strings(value: Any, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SystemExit(f"dhi_table: {where}: expected a list of strings, got {value!r}")
    return list(value)


def definition_row(doc: dict[str, Any], distro: str, where: str) -> list[Any]:
    """One definition as the table stores it (see ``columns`` in the JSON)."""
    variant = doc.get("variant")
    if not isinstance(variant, str) or not variant:
        raise SystemExit(f"dhi_table: {where}: no variant")
    tags = _strings(doc.get("tags"), f"{where} tags")
    if not tags or any(" " in t or not t for t in tags):
        raise SystemExit(f"dhi_table: {where}: empty tag list or a tag with a space: {tags!r}")
    accounts = doc.get("accounts") or {}
    run_as = accounts.get("run-as") if isinstance(accounts, dict) else None
    dates = doc.get("dates") or {}
    if not isinstance(dates, dict):
        raise SystemExit(f"dhi_table: {where}: dates is not a mapping")
    return [
        variant,
        distro,
        " ".join(tags),
        " ".join(_strings(doc.get("platforms") or [], f"{where} platforms")),
        run_as if isinstance(run_as, str) else None,
        _date(dates.get("release"), f"{where} dates.release"),
        _date(dates.get("end-of-life"), f"{where} dates.end-of-life"),
    ]


def build(repo: Path, commit: str) -> dict[str, Any]:
    import yaml  # dev-only (see the module docstring)

    loader = getattr(yaml, "CBaseLoader", yaml.BaseLoader)  # the same answers; libyaml's is ~10x faster
    full = git(repo, "rev-parse", "--verify", f"{commit}^{{commit}}").decode().strip()
    committed, subject = git(repo, "log", "-1", "--format=%cI%n%s", full).decode().split("\n", 1)
    listing = git(repo, "ls-tree", "-r", "--name-only", "-z", full, "--", "image/").decode().split("\0")
    paths = sorted(p for p in listing if _DEFINITION_PATH.match(p))
    if len(paths) > MAX_FILES:
        raise SystemExit(f"dhi_table: {len(paths)} YAML files under image/, more than {MAX_FILES}: is this the catalog?")
    blobs = read_blobs(repo, full, paths)
    images: dict[str, list[tuple[str, list[Any]]]] = {}
    seen: dict[tuple[str, str], str] = {}
    for path in paths:
        doc = yaml.load(blobs[path].decode("utf-8"), Loader=loader)
        if not isinstance(doc, dict) or "image" not in doc:
            continue  # a helper file, not an image definition
        reference = doc["image"]
        if not isinstance(reference, str) or not reference.startswith(f"{REGISTRY}/"):
            raise SystemExit(f"dhi_table: {path}: image {reference!r} is not on {REGISTRY}")
        name = reference[len(REGISTRY) + 1 :]
        distro = _DEFINITION_PATH.match(path)["distro"]  # type: ignore[index]
        row = definition_row(doc, distro, path)
        for tag in row[2].split(" "):
            if (name, tag) in seen:
                raise SystemExit(f"dhi_table: {reference}:{tag} is in {seen[(name, tag)]} and {path}")
            seen[(name, tag)] = path
        images.setdefault(name, []).append((path, row))
    date = committed[:10]
    return {
        "schema": 1,
        "description": (
            "Docker Hardened Images: per image (on the registry below), its definitions as the public catalog "
            "describes them. A definition's tags (in catalog order) and platforms are space-separated strings; 'release' and 'end_of_life' are "
            "the catalog's dates.release and dates.end-of-life (the version line's upstream dates; null: no date "
            "given). Generated by scripts/dhi_table.py; do not edit by hand."
        ),
        "source": {
            "repository": REPOSITORY,
            "commit": full,
            "committed": committed,
            "subject": subject.strip(),
            "taken": date,
        },
        "registry": REGISTRY,
        "columns": ["variant", "distro", "tags", "platforms", "run_as", "release", "end_of_life"],
        "images": {name: [row for _, row in sorted(rows)] for name, rows in sorted(images.items())},
    }


def render(table: dict[str, Any]) -> str:
    """Compact JSON with one image a line, so that a diff between two commits stays readable."""
    compact = {"separators": (",", ":"), "ensure_ascii": False}
    head = {k: v for k, v in table.items() if k != "images"}
    lines = [f"{json.dumps(name, **compact)}:{json.dumps(rows, **compact)}" for name, rows in table["images"].items()]
    return json.dumps(head, indent=1, ensure_ascii=False)[:-2] + ',\n "images": {\n' + ",\n".join(lines) + "\n }\n}\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("repo", type=Path, help="a clone of docker-hardened-images/catalog (bare or not)")
    parser.add_argument("--commit", default="HEAD", help="the commit to read (default HEAD)")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    table = build(args.repo, args.commit)
    args.output.write_text(render(table), encoding="utf-8")
    definitions = sum(len(rows) for rows in table["images"].values())
    tags = sum(len(row[2].split(" ")) for rows in table["images"].values() for row in rows)
    print(
        f"dhi_table: {args.output}: {len(table['images'])} images, {definitions} definitions, {tags} tags,"
        f" {args.output.stat().st_size} bytes, from {table['source']['commit']} ({table['source']['committed']})",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
