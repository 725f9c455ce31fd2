"""The container image's facts, read from the Dockerfile and .dockerignore (no Docker engine runs
here): multi-stage on a slim base, CA certificates, a non-root USER, the installed command as
the entrypoint with stdio by default, no secret baked in, nothing but the package in the build
context, and the Python line pyproject.toml declares."""

from __future__ import annotations

import fnmatch
import re
import shlex
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SECRET_WORDS = re.compile(r"TOKEN|PAT\b|PASSWORD|SECRET|CREDENTIAL|_KEY\b|AUTH", re.IGNORECASE)


@dataclass
class Stage:
    base: str
    name: str | None
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def all(self, keyword: str) -> list[str]:
        return [args for kw, args in self.instructions if kw == keyword]


def parse_dockerfile(text: str) -> tuple[dict[str, str], list[Stage]]:
    """Global ARG defaults and the stages, with continuation lines joined and comments dropped."""
    joined = re.sub(r"\\\n", " ", "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#")))
    args: dict[str, str] = {}
    stages: list[Stage] = []
    for line in filter(None, (line.strip() for line in joined.splitlines())):
        keyword, _, rest = line.partition(" ")
        keyword, rest = keyword.upper(), rest.strip()
        if keyword == "FROM":
            parts = rest.split()
            stages.append(Stage(parts[0], parts[2] if len(parts) > 2 and parts[1].upper() == "AS" else None))
        elif not stages and keyword == "ARG":
            name, _, default = rest.partition("=")
            args[name] = default
        else:
            assert stages, f"{keyword} before the first FROM"
            stages[-1].instructions.append((keyword, rest))
    return args, stages


def expand(text: str, args: dict[str, str]) -> str:
    return re.sub(r"\$\{(\w+)\}|\$(\w+)", lambda m: args.get(m.group(1) or m.group(2), m.group(0)), text)


def ignored(path: str, rules: list[str]) -> bool:
    """Whether .dockerignore keeps ``path`` out of the build context (last matching rule wins)."""
    result = False
    for rule in rules:
        negate = rule.startswith("!")
        pattern = rule[1:] if negate else rule
        candidates = [path] + [str(Path(*Path(path).parts[:i])) for i in range(1, len(Path(path).parts))]
        if any(fnmatch.fnmatch(c, pattern) or fnmatch.fnmatch(c, pattern.removeprefix("**/")) for c in candidates):
            result = not negate
        elif pattern.startswith("**/") and any(fnmatch.fnmatch(part, pattern[3:]) for part in Path(path).parts):
            result = not negate
    return result


DOCKERFILE = (ROOT / "Dockerfile").read_text()
ARGS, STAGES = parse_dockerfile(DOCKERFILE)
FINAL = STAGES[-1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
IGNORE_RULES = [
    line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines() if line.strip() and line[0] != "#"
]


def test_multi_stage_on_a_slim_base() -> None:
    assert len(STAGES) >= 2 and STAGES[0].name == "build"
    assert all(expand(stage.base, ARGS).startswith("python:") and "-slim" in stage.base for stage in STAGES)
    copies = FINAL.all("COPY")
    assert any(c.startswith("--from=build ") for c in copies)
    assert not any(c for c in copies if not c.startswith("--from=")), "the final stage copies only from the build"


def test_the_final_stage_runs_as_an_unprivileged_user() -> None:
    users = FINAL.all("USER")
    assert users, "the final stage must set USER"
    user = users[-1].split(":")[0]
    assert user not in ("root", "0")
    assert user.isdigit() and int(user) >= 1000  # numeric, so runAsNonRoot can verify it
    assert f"--uid {user}" in " ".join(FINAL.all("RUN"))


def test_ca_certificates_are_installed() -> None:
    assert re.search(r"apt-get install [^&]*\bca-certificates\b", " ".join(FINAL.all("RUN")))


def test_the_entrypoint_is_the_installed_command_and_stdio_is_the_default() -> None:
    assert FINAL.all("ENTRYPOINT") == ['["hub-mcp"]']
    assert "hub-mcp" in PYPROJECT["scripts"]
    assert FINAL.all("CMD") in ([], ["[]"])  # no arguments: stdio, the default transport
    env = " ".join(FINAL.all("ENV"))
    assert "HUB_MCP_TRANSPORT" not in env and "HUB_MCP_HOST" not in env  # HTTP only by flag
    assert "/opt/hub-mcp/bin" in env


def test_no_secret_is_baked_in() -> None:
    for stage in STAGES:
        for keyword in ("ENV", "ARG", "LABEL"):
            for args in stage.all(keyword):
                names = [token.split("=", 1)[0] for token in shlex.split(args)]
                assert not [n for n in names if SECRET_WORDS.search(n)], f"{keyword} {args}"
    assert "dckr_pat" not in DOCKERFILE and "HUB_PAT_TOKEN=" not in DOCKERFILE
    for source in (c.split()[0] for stage in STAGES for c in stage.all("COPY") if not c.startswith("--from")):
        assert not SECRET_WORDS.search(source) and not source.startswith(".env")


def test_the_build_context_holds_the_package_and_nothing_private() -> None:
    kept = (
        "pyproject.toml",
        "README.md",
        "hub_mcp/__init__.py",
        "hub_mcp/server/app.py",
        "hub_mcp/vocab/lifecycle.json",
        "hub_mcp/hardened/dhi.json",
    )
    for path in kept:
        assert not ignored(path, IGNORE_RULES), path
    for path in (
        ".git/config",
        ".venv/bin/python",
        "tests/conftest.py",
        ".env",
        "hub_mcp/.env",
        "hub_mcp/__pycache__/config.cpython-311.pyc",
        "claude_desktop_config.json",
        "benchmarks/results/latest.json",
        "server.pem",
    ):
        assert ignored(path, IGNORE_RULES), path
    for copy in STAGES[0].all("COPY"):
        *sources, _ = copy.split()
        for source in sources:
            assert (ROOT / source).exists() and not ignored(source, IGNORE_RULES), source


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def test_the_python_line_is_the_one_pyproject_declares() -> None:
    image_python = ARGS["PYTHON_VERSION"]
    assert re.fullmatch(r"3\.\d+", image_python)
    for spec in PYPROJECT["requires-python"].split(","):
        match = re.fullmatch(r"\s*(>=|<|<=|>|==)\s*([\d.]+)\s*", spec)
        assert match, f"unexpected requires-python part {spec!r}"
        op, bound = match.groups()
        have, want = _version(image_python), _version(bound)
        assert {">=": have >= want, "<": have < want, "<=": have <= want, ">": have > want, "==": have == want}[op]
    assert f"Programming Language :: Python :: {image_python}" in PYPROJECT["classifiers"]
    assert all("${PYTHON_VERSION}" in stage.base for stage in STAGES)  # one line for every stage


def test_the_image_installs_the_http_extra_pyproject_defines() -> None:
    install = " ".join(STAGES[0].all("RUN"))
    assert 'pip install --no-compile ".[http]"' in install
    assert {"httptools>=0.6"} <= set(PYPROJECT["optional-dependencies"]["http"])
