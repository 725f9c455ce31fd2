"""scripts/_env.sh (behind scripts/run, test and bench): which Python makes .venv, and what happens to
a .venv made by a Python older than pyproject.toml's requires-python.

The scripts run for real, on a copy of scripts/ and pyproject.toml, with stand-in interpreters: a
``python`` that answers its version and whose ``-m venv`` makes a .venv of stand-ins (a ``pip`` that
records the install, a ``hub-mcp`` that says it ran), so that no package is installed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# A stand-in interpreter of version VERSION. `-c` prints the version (all _env.sh asks), `-m venv [--clear] DIR`
# makes a .venv whose python is a stand-in of the same version and whose pip only records what it was asked.
FAKE_PYTHON = r"""#!/usr/bin/env bash
set -eu
VERSION=@VERSION@
case "$1" in
  -c) echo "$VERSION" ;;
  -m)
    if [ "$2" = venv ]; then
      dir="${@: -1}"
      if [ "$3" = --clear ]; then rm -rf "$dir"; fi
      mkdir -p "$dir/bin"
      printf 'home = /fake\nversion = %s.4\n' "$VERSION" > "$dir/pyvenv.cfg"
      sed "s|^VERSION=.*|VERSION=$VERSION|" "$0" > "$dir/bin/python"
      printf '#!/usr/bin/env bash\necho "hub-mcp ran: $*"\n' > "$dir/bin/hub-mcp"
      chmod +x "$dir/bin/python" "$dir/bin/hub-mcp"
    elif [ "$2" = pip ]; then
      echo "pip $*" >> "$(dirname "$0")/../pip.log"
    fi ;;
esac
"""


def fake_python(folder: Path, version: str) -> Path:
    path = folder / f"python{version}"
    path.write_text(FAKE_PYTHON.replace("@VERSION@", version))
    path.chmod(0o755)
    return path


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of what scripts/run reads: scripts/ and pyproject.toml."""
    shutil.copytree(ROOT / "scripts", tmp_path / "scripts")
    shutil.copy2(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def run(project: Path, python: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(project / "scripts" / "run"), "--version"],
        env={"PATH": "/usr/bin:/bin", "PYTHON": str(python), "HOME": str(project)},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def make_venv(project: Path, python: Path) -> None:
    subprocess.run([str(python), "-m", "venv", str(project / ".venv")], check=True)


def test_a_venv_made_by_an_older_python_is_rebuilt_with_python_saying_so(project: Path, tmp_path: Path) -> None:
    make_venv(project, fake_python(tmp_path, "3.9"))
    done = run(project, fake_python(tmp_path, "3.12"))
    assert done.returncode == 0, done.stderr
    assert done.stdout == "hub-mcp ran: --version\n"  # stdout stays the server's
    assert "made by Python 3.9" in done.stderr and "needs 3.11 or newer: rebuilding it with" in done.stderr
    assert "version = 3.12" in (project / ".venv" / "pyvenv.cfg").read_text()
    assert "pip install" in (project / ".venv" / "pip.log").read_text()


def test_a_venv_whose_python_is_gone_is_rebuilt(project: Path, tmp_path: Path) -> None:
    make_venv(project, fake_python(tmp_path, "3.11"))
    (project / ".venv" / "bin" / "python").unlink()
    (project / ".venv" / "bin" / "python").symlink_to(tmp_path / "uninstalled-python3.11")
    done = run(project, fake_python(tmp_path, "3.11"))
    assert done.returncode == 0, done.stderr
    assert "has no Python that runs" in done.stderr and done.stdout == "hub-mcp ran: --version\n"


def test_a_good_venv_is_kept_without_a_word(project: Path, tmp_path: Path) -> None:
    make_venv(project, fake_python(tmp_path, "3.11"))
    (project / ".venv" / "kept").write_text("")
    first = run(project, fake_python(tmp_path, "3.13"))
    again = run(project, fake_python(tmp_path, "3.13"))
    assert (first.returncode, first.stderr, again.stderr) == (0, "", "")
    assert (project / ".venv" / "kept").exists()
    assert (project / ".venv" / "pip.log").read_text().count("pip install") == 1  # installed once, not every run


@pytest.mark.parametrize("made_first", [False, True])
def test_an_interpreter_older_than_required_is_refused_in_one_sentence(
    project: Path, tmp_path: Path, made_first: bool
) -> None:
    if made_first:
        make_venv(project, fake_python(tmp_path, "3.8"))
    done = run(project, fake_python(tmp_path, "3.10"))
    assert (done.returncode, done.stdout) == (1, "")
    line = done.stderr.splitlines()[-1]
    assert line.startswith("scripts/run: hub-mcp needs Python 3.11 or newer, but ") and "is Python 3.10" in line
    assert line.endswith("set PYTHON to a newer interpreter, e.g. PYTHON=python3.12 scripts/run")


def test_a_missing_interpreter_is_refused_in_one_sentence(project: Path, tmp_path: Path) -> None:
    done = run(project, tmp_path / "no-such-python")
    assert (done.returncode, done.stdout) == (1, "")
    assert "is not a Python that runs here: set PYTHON" in done.stderr and done.stderr.count("\n") == 1


def test_the_required_version_is_read_from_pyproject(project: Path, tmp_path: Path) -> None:
    """One rule: the scripts ask for what pyproject.toml's requires-python says."""
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('requires-python = ">=3.11"', 'requires-python = ">=3.12"'))
    done = run(project, fake_python(tmp_path, "3.11"))
    assert done.returncode == 1 and "needs Python 3.12 or newer" in done.stderr
