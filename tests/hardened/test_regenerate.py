"""scripts/dhi_table.py on a small catalog repository made here with git (its files shaped like the public
catalog's: image/<image>/<distro>/<name>.yaml): what it keeps, what it skips, the commit it records, and
that the package reads what it writes. Needs git and PyYAML (a test dependency; the package never needs it).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from hub_mcp.hardened import table as table_module

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "dhi_table.py"

PYTHON_RUNTIME = """\
# syntax=dhi.io/build:2-debian13
name: Python 3.10.x
image: dhi.io/python
variant: runtime
tags:
  - 3.10
  - 3.10.21
  - 3.10-debian13
platforms:
  - linux/amd64
  - linux/arm64
dates:
  release: "2021-10-04"
  end-of-life: "2026-10-31"
accounts:
  run-as: nonroot
contents:
  packages:
    - python-3.10
"""

PYTHON_DEV = """\
name: Python 3.10.x (dev)
image: dhi.io/python
variant: dev
tags: ["3.10-dev", "3.10-debian13-dev"]
platforms: [linux/amd64]
accounts:
  run-as: root
"""

BUSYBOX = """\
image: dhi.io/busybox
variant: runtime
tags: [1-alpine3.24]
platforms: [linux/amd64, linux/arm64]
dates:
  release: 2024-09-26
"""

HELPER = "packages:\n  - base-files\n"  # a helper file: no image key
INFO = "metadata:\n  display-name: Python\n"  # image/<image>/info.yaml: not a definition

ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.invalid",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.invalid",
}


def git(repo: Path, *args: str, date: str = "2026-08-22T23:05:09+00:00") -> str:
    env = {**ENV, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True, env=env).stdout


def write(repo: Path, files: dict[str, str]) -> None:
    for path, text in files.items():
        target = repo / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    pytest.importorskip("yaml")
    repo = tmp_path / "catalog"
    repo.mkdir()
    git(repo, "init", "-q")
    write(
        repo,
        {
            "image/python/debian-13/3.10.yaml": PYTHON_RUNTIME,
            "image/python/debian-13/3.10-dev.yaml": PYTHON_DEV,
            "image/python/debian-13/helper.yaml": HELPER,
            "image/python/info.yaml": INFO,
            "image/busybox/alpine-3.24/1.yaml": BUSYBOX,
            "README.md": "not a definition\n",
        },
    )
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "first")
    return repo


def run(repo: Path, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), str(repo), "--output", str(out), *extra], capture_output=True, text=True
    )


def test_the_script_keeps_each_definition_with_its_facts_and_records_the_commit(catalog: Path, tmp_path: Path) -> None:
    out = tmp_path / "dhi.json"
    done = run(catalog, out)
    assert done.returncode == 0, done.stderr
    table = json.loads(out.read_text(encoding="utf-8"))
    head = git(catalog, "rev-parse", "HEAD").strip()
    assert table["source"] == {
        "repository": "https://github.com/docker-hardened-images/catalog",
        "commit": head,
        "committed": "2026-08-22T23:05:09+00:00",
        "subject": "first",
        "taken": "2026-08-22",
    }
    assert table["images"] == {
        "busybox": [["runtime", "alpine-3.24", "1-alpine3.24", "linux/amd64 linux/arm64", None, "2024-09-26", None]],
        "python": [  # by path: 3.10-dev.yaml before 3.10.yaml; helper.yaml and info.yaml skipped
            ["dev", "debian-13", "3.10-dev 3.10-debian13-dev", "linux/amd64", "root", None, None],
            # an unquoted "- 3.10" stays the tag 3.10 (a YAML number would have made it 3.1)
            ["runtime", "debian-13", "3.10 3.10.21 3.10-debian13", "linux/amd64 linux/arm64", "nonroot", "2021-10-04", "2026-10-31"],
        ],
    }
    assert "2 images, 3 definitions, 6 tags" in done.stderr


def test_the_package_reads_what_the_script_writes(catalog: Path, tmp_path: Path) -> None:
    out = tmp_path / "dhi.json"
    assert run(catalog, out).returncode == 0
    loaded = table_module._load(out.read_text(encoding="utf-8"))
    runtime = loaded.images["python"][1]
    assert (runtime.tags, runtime.run_as, str(runtime.end_of_life)) == (("3.10", "3.10.21", "3.10-debian13"), "nonroot", "2026-10-31")
    assert loaded.by_tag[("busybox", "1-alpine3.24")].platforms == ("linux/amd64", "linux/arm64")


def test_a_named_commit_is_read_not_the_newest(catalog: Path, tmp_path: Path) -> None:
    first = git(catalog, "rev-parse", "HEAD").strip()
    write(catalog, {"image/busybox/alpine-3.24/1.yaml": BUSYBOX.replace("1-alpine3.24", "1.37-alpine3.24")})
    git(catalog, "commit", "-qam", "second", date="2026-09-01T10:00:00+00:00")
    out = tmp_path / "dhi.json"
    assert run(catalog, out, "--commit", first[:12]).returncode == 0
    table = json.loads(out.read_text(encoding="utf-8"))
    assert table["source"]["commit"] == first and table["images"]["busybox"][0][2] == "1-alpine3.24"
    assert run(catalog, out).returncode == 0
    assert json.loads(out.read_text(encoding="utf-8"))["images"]["busybox"][0][2] == "1.37-alpine3.24"


def test_a_tag_in_two_definitions_is_refused(catalog: Path, tmp_path: Path) -> None:
    write(catalog, {"image/python/debian-13/3.10-copy.yaml": PYTHON_RUNTIME})
    git(catalog, "add", "-A")
    git(catalog, "commit", "-qm", "duplicate")
    done = run(catalog, tmp_path / "dhi.json")
    assert done.returncode != 0
    assert "dhi.io/python:3.10 is in image/python/debian-13/3.10-copy.yaml and image/python/debian-13/3.10.yaml" in done.stderr
