"""Pin ``catalog/hub-mcp/server.yaml``'s ``source.commit`` (the commit Docker's catalog builds the image
from) to HEAD, or to the commit given. ``scripts/release`` runs this and commits the change:

    scripts/release               # after committing the code: pin HEAD, commit server.yaml
    python3 catalog/pin.py        # only rewrite server.yaml (no commit)
    python3 catalog/pin.py --check  # exit 1, saying why, when the image's files changed after the pin

The image's files are what the build reads (:func:`image_paths`): the Dockerfile, .dockerignore, and
what .dockerignore lets into the context (its ``!`` lines; it ignores everything else). The pin is
current when none of them differs between the pinned commit and HEAD; tests/test_catalog_entry.py
checks that with :func:`stale_files`. Standard library only.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SERVER_YAML = ROOT / "catalog" / "hub-mcp" / "server.yaml"
COMMIT_LINE = re.compile(r"^(  commit: )([0-9a-f]{40})$", re.MULTILINE)  # under source:, as server.yaml writes it


def git(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True, check=False)


def image_paths() -> list[str]:
    """The paths the image build reads: the Dockerfile, .dockerignore and what .dockerignore lets in."""
    kept = [
        line[1:].strip().rstrip("/")
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.startswith("!") and line[1:].strip()
    ]
    return ["Dockerfile", ".dockerignore", *kept]


def pinned() -> str:
    found = COMMIT_LINE.search(SERVER_YAML.read_text())
    if found is None:
        raise SystemExit(f"{SERVER_YAML.relative_to(ROOT)}: no `  commit: <40 hex>` line under source:")
    return found.group(2)


def stale_files(commit: str, against: str = "HEAD") -> list[str] | str:
    """The image's files that differ between ``commit`` and ``against``; or, when that cannot be told,
    a sentence that says why and what to do."""
    if git("cat-file", "-e", f"{commit}^{{commit}}").returncode != 0:
        shallow = git("rev-parse", "--is-shallow-repository").stdout.strip() == "true"
        why = (
            "this clone is shallow: fetch the whole history (git fetch --unshallow)"
            if shallow
            else "it is not in this clone's history (a commit never pushed, or from a rewritten branch):"
            " run scripts/release to pin HEAD"
        )
        return f"the pinned commit {commit} of {SERVER_YAML.relative_to(ROOT)} cannot be found: {why}"
    done = git("diff", "--name-only", commit, against, "--", *image_paths())
    if done.returncode != 0:
        return f"git diff {commit} {against} failed: {done.stderr.strip()}"
    return done.stdout.split()


def shown(paths: list[str], most: int = 8) -> str:
    """A list of paths for a message: the first ``most``, then how many more."""
    more = f" and {len(paths) - most} more" if len(paths) > most else ""
    return ", ".join(paths[:most]) + more


def pin(commit: str) -> bool:
    """Write ``commit`` into server.yaml; whether it changed."""
    text = SERVER_YAML.read_text()
    new = COMMIT_LINE.sub(lambda m: m.group(1) + commit, text, count=1)
    SERVER_YAML.write_text(new)
    return new != text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="catalog/pin.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("commit", nargs="?", default="HEAD", help="the commit to pin (default HEAD)")
    parser.add_argument("--check", action="store_true", help="only say whether the pin is current")
    args = parser.parse_args(argv)
    if args.check:
        stale = stale_files(pinned())
        if stale:
            said = stale if isinstance(stale, str) else f"the image's files changed after {pinned()}: {shown(stale)}"
            print(f"catalog/pin.py: {said}; run scripts/release", file=sys.stderr)
            return 1
        return 0
    resolved = git("rev-parse", "--verify", f"{args.commit}^{{commit}}")
    if resolved.returncode != 0:
        print(f"catalog/pin.py: {args.commit} is not a commit of this repository", file=sys.stderr)
        return 1
    commit = resolved.stdout.strip()
    dirty = git("status", "--porcelain", "--", *image_paths()).stdout.strip()
    if dirty and args.commit == "HEAD":
        print(
            "catalog/pin.py: the image's files have changes not committed (git status lists them); commit them"
            " first, so that the pinned commit holds what the image is built from",
            file=sys.stderr,
        )
        return 1
    print(f"{SERVER_YAML.relative_to(ROOT)}: source.commit {'set to' if pin(commit) else 'already'} {commit}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
