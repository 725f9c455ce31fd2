"""scripts/_env.sh (behind scripts/run, test and bench): which Python makes .venv, and what happens to
a .venv made by a Python older than pyproject.toml's requires-python, what a first run says, and what a
half-made .venv (interrupted, without pip) becomes.

The scripts run for real, on a copy of scripts/ and pyproject.toml, with stand-in interpreters: a
``python`` that answers its version and whose ``-m venv`` makes a .venv of stand-ins (a ``pip`` that
records the install, a ``hub-mcp`` that says it ran), so that no package is installed."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# A stand-in interpreter of version VERSION. `-c` prints the version (all _env.sh asks), `-m venv [--clear] DIR`
# makes a .venv whose python is a stand-in of the same version and whose pip (there while lib/pip is, as
# ensurepip puts it there last) only records what it was asked. @HANG@ is what `-m venv` does once it has
# started the .venv: nothing, or wait to be interrupted as a real one taking its time would.
FAKE_PYTHON = r"""#!/usr/bin/env bash
set -eu
VERSION=@VERSION@
case "$1" in
  -c) echo "$VERSION" ;;
  -m)
    if [ "$2" = venv ]; then
      dir="${@: -1}"
      if [ "$3" = --clear ]; then rm -rf "$dir"; fi
      mkdir -p "$dir/bin" "$dir/lib"
      printf 'home = /fake\nversion = %s.4\n' "$VERSION" > "$dir/pyvenv.cfg"
      sed -e "s|^VERSION=.*|VERSION=$VERSION|" -e "s|^HANG=.*|HANG=|" "$0" > "$dir/bin/python"
      printf '#!/usr/bin/env bash\necho "hub-mcp ran: $*"\n' > "$dir/bin/hub-mcp"
      chmod +x "$dir/bin/python" "$dir/bin/hub-mcp"
      HANG=@HANG@
      if [ -n "$HANG" ]; then
        sleep 60 & trap 'kill $!; echo "Traceback (most recent call last): ... KeyboardInterrupt" >&2; exit 130' INT
        touch "$dir/started"; wait
      fi
      touch "$dir/lib/pip"
    elif [ "$2" = pip ]; then
      if [ ! -e "$(dirname "$0")/../lib/pip" ]; then echo "$0: No module named pip" >&2; exit 1; fi
      echo "pip $*" >> "$(dirname "$0")/../pip.log"
    fi ;;
esac
"""


def fake_python(folder: Path, version: str, *, hang: bool = False) -> Path:
    path = folder / f"python{version}{'-hanging' if hang else ''}"
    path.write_text(FAKE_PYTHON.replace("@VERSION@", version).replace("@HANG@", "yes" if hang else '""'))
    path.chmod(0o755)
    return path


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of what scripts/run reads: scripts/ and pyproject.toml."""
    shutil.copytree(ROOT / "scripts", tmp_path / "scripts")
    shutil.copy2(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def environment(project: Path, python: Path) -> dict[str, str]:
    return {"PATH": "/usr/bin:/bin", "PYTHON": str(python), "HOME": str(project)}


def run(project: Path, python: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(project / "scripts" / "run"), "--version"],
        env=environment(project, python),
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


INSTALLING = "scripts/run: installing hub-mcp into .venv, once (up to a minute)...\n"


def test_a_good_venv_is_kept_and_installed_into_once(project: Path, tmp_path: Path) -> None:
    make_venv(project, fake_python(tmp_path, "3.11"))
    (project / ".venv" / "kept").write_text("")
    first = run(project, fake_python(tmp_path, "3.13"))
    again = run(project, fake_python(tmp_path, "3.13"))
    assert (first.returncode, first.stderr, again.stderr) == (0, INSTALLING, "")
    assert (project / ".venv" / "kept").exists()
    assert (project / ".venv" / "pip.log").read_text().count("pip install") == 1  # installed once, not every run


def test_the_first_run_says_on_stderr_that_it_sets_up_and_stdout_stays_the_servers(
    project: Path, tmp_path: Path
) -> None:
    """Issue 17: the first scripts/run was silent for the ~20 s of pip --quiet, and a new user pressed Ctrl-C."""
    done = run(project, fake_python(tmp_path, "3.12"))
    assert done.returncode == 0, done.stderr
    assert done.stderr == "scripts/run: setting up .venv, once (up to a minute)...\n"
    assert done.stdout == "hub-mcp ran: --version\n"
    stamp = project / ".venv" / ".installed-"
    older = (project / "pyproject.toml").stat().st_mtime - 10
    os.utime(stamp, (older, older))  # pyproject.toml edited since the install
    changed = run(project, fake_python(tmp_path, "3.12"))
    assert (changed.stderr, changed.stdout) == ("scripts/run: pyproject.toml changed: updating .venv...\n", done.stdout)


def test_a_venv_without_pip_is_rebuilt_saying_so(project: Path, tmp_path: Path) -> None:
    """Issue 17: a .venv whose setup was cut short has no pip, and every later run said only
    ".venv/bin/python: No module named pip" (status 1)."""
    make_venv(project, fake_python(tmp_path, "3.11"))
    (project / ".venv" / "lib" / "pip").unlink()
    done = run(project, fake_python(tmp_path, "3.11"))
    assert done.returncode == 0, done.stderr
    assert done.stdout == "hub-mcp ran: --version\n"
    assert done.stderr.splitlines() == [
        f"scripts/run: {project / '.venv'} has no pip that runs (its setup was probably interrupted): rebuilding it"
        f" with {tmp_path / 'python3.11'} (up to a minute)..."
    ]
    assert "pip install" in (project / ".venv" / "pip.log").read_text()


def test_ctrl_c_while_making_the_venv_removes_it_in_one_sentence_and_the_next_run_makes_it(
    project: Path, tmp_path: Path
) -> None:
    """Issue 17: Ctrl-C during `python -m venv` showed venv's KeyboardInterrupt traceback and left a .venv
    without pip behind."""
    started = project / ".venv" / "started"
    with subprocess.Popen(
        [str(project / "scripts" / "run"), "--version"],
        env=environment(project, fake_python(tmp_path, "3.12", hang=True)),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal's Ctrl-C reaches every process in one
    ) as script:
        deadline = time.monotonic() + 60
        while not started.exists() and script.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert started.exists(), "the stand-in venv never started"
        os.killpg(script.pid, signal.SIGINT)
        out, err = script.communicate(timeout=60)
    assert (script.returncode, out) == (130, "")
    assert err.splitlines() == [
        "scripts/run: setting up .venv, once (up to a minute)...",
        "scripts/run: interrupted while setting up .venv; removed the half-made one, run scripts/run again to make it",
    ]
    assert not (project / ".venv").exists()
    again = run(project, fake_python(tmp_path, "3.12"))
    assert (again.returncode, again.stdout) == (0, "hub-mcp ran: --version\n")


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
