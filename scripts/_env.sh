# Shared by scripts/run, scripts/test and scripts/bench: make .venv and install the project
# into it when pyproject.toml changed. Everything it prints goes to stderr, so that
# `scripts/run` keeps stdout for the MCP protocol.
#
# The interpreter is python3, or the one PYTHON names (PYTHON=python3.12 scripts/run). It must be
# at least pyproject.toml's requires-python; a .venv made by an older Python (or whose Python is
# gone, or whose pip does not run) is rebuilt with it, saying so. The first run says on stderr that it sets
# .venv up before pip (--quiet) takes its time; Ctrl-C meanwhile leaves no half-made .venv behind.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PY="${PYTHON:-python3}"
SCRIPT="scripts/$(basename "$0")"
MIN_PYTHON="$(sed -n 's/^requires-python *= *">= *\([0-9][0-9.]*\)".*/\1/p' "$ROOT/pyproject.toml")"
MIN_PYTHON="${MIN_PYTHON:-3.11}"

# Whether the version "X.Y[.Z...]" is at least MIN_PYTHON.
new_enough() {
  local major minor want_major want_minor
  IFS=. read -r major minor _ <<<"$1."
  IFS=. read -r want_major want_minor _ <<<"$MIN_PYTHON."
  [[ "$major" =~ ^[0-9]+$ && "$minor" =~ ^[0-9]+$ ]] || return 1
  (( major > want_major || (major == want_major && minor >= ${want_minor:-0}) ))
}

# The Python version .venv was made by, as its pyvenv.cfg records it (venv: "version", virtualenv:
# "version_info"); read rather than asked so that the check costs scripts/run no interpreter start.
venv_version() {
  sed -n 's/^version\(_info\)\{0,1\} *= *\([0-9][0-9]*\.[0-9][0-9]*\).*/\2/p' "$VENV/pyvenv.cfg" 2>/dev/null | head -n 1
}

# The "X.Y" version of the interpreter $1, or nothing when it does not run.
python_version() {
  "$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null || true
}

# Stop with one sentence unless PY runs and is new enough.
check_python() {
  local version
  version="$(python_version "$PY")"
  if ! new_enough "$version"; then
    echo "$SCRIPT: hub-mcp needs Python $MIN_PYTHON or newer, but $PY is ${version:+Python }${version:-not a Python that runs here}: set PYTHON to a newer interpreter, e.g. PYTHON=python3.12 $SCRIPT" >&2
    exit 1
  fi
}

# What an interruption (Ctrl-C, TERM) while ensure_venv works leaves: a .venv half made by `python -m venv`
# is removed (the next run makes it afresh), one interrupted while installing keeps no stamp (the next run
# installs again). One sentence either way, never the interpreter's KeyboardInterrupt traceback.
MAKING_VENV=""
interrupted() {
  trap - INT TERM
  if [ -n "$MAKING_VENV" ]; then
    rm -rf "$VENV"
    echo "$SCRIPT: interrupted while setting up .venv; removed the half-made one, run $SCRIPT again to make it" >&2
  else
    echo "$SCRIPT: interrupted while setting up .venv; run $SCRIPT again to finish" >&2
  fi
  exit 130
}

# Make .venv with PY, `--clear` first when given. venv's own output (a traceback when interrupted) is held
# back, and shown only when it failed for another reason; a half-made .venv is never left behind.
make_venv() {
  local out status=0
  MAKING_VENV=1
  out="$("$PY" -m venv "$@" "$VENV" 2>&1)" || status=$?
  if [ "$status" != 0 ]; then
    rm -rf "$VENV"
    printf '%s\n' "$out" >&2
    echo "$SCRIPT: $PY -m venv could not make .venv (above is why)" >&2
    exit 1
  fi
  MAKING_VENV=""
}

ensure_venv() {
  local extras="$1" stamp="$VENV/.installed-$1" made_by why="" made=""
  trap interrupted INT TERM
  if [ ! -e "$VENV" ] && [ ! -L "$VENV" ]; then
    check_python
    echo "$SCRIPT: setting up .venv, once (up to a minute)..." >&2
    make_venv
    made=1
  else
    made_by="$(venv_version)"
    if [ ! -x "$VENV/bin/python" ]; then
      why="has no Python that runs (the one it was made by is gone)"
    else
      made_by="${made_by:-$(python_version "$VENV/bin/python")}"
      if ! new_enough "$made_by"; then
        why="was made by Python ${made_by:-of an unknown version}, and hub-mcp needs $MIN_PYTHON or newer"
      elif { [ ! -f "$stamp" ] || [ "$ROOT/pyproject.toml" -nt "$stamp" ]; } \
          && ! "$VENV/bin/python" -m pip --version >/dev/null 2>&1; then
        # asked only before installing, so that a run with nothing to install starts no extra interpreter
        why="has no pip that runs (its setup was probably interrupted)"
      fi
    fi
    if [ -n "$why" ]; then
      check_python
      echo "$SCRIPT: $VENV $why: rebuilding it with $PY (up to a minute)..." >&2
      make_venv --clear
      made=1
    fi
  fi
  if [ ! -f "$stamp" ] || [ "$ROOT/pyproject.toml" -nt "$stamp" ]; then
    if [ -z "$made" ]; then
      if [ -f "$stamp" ]; then
        echo "$SCRIPT: pyproject.toml changed: updating .venv..." >&2
      else
        echo "$SCRIPT: installing hub-mcp${extras:+ with $extras} into .venv, once (up to a minute)..." >&2
      fi
    fi
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e "$ROOT$extras" >&2
    touch "$stamp"
  fi
  trap - INT TERM
}
