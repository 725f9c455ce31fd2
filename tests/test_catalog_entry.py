"""The MCP Toolkit catalog entry (catalog/hub-mcp/server.yaml and tools.json) against the rules
of Docker's catalog as ../shared/docs/mcp-catalog.md records them (types.go, cmd/validate), and
against this server: its command line must accept ``run.command``, it must read the secrets'
variables, and tools.json must be what catalog/tools_json.py makes of the schema snapshot."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from hub_mcp.__main__ import parse_settings
from hub_mcp.config.settings import OPTIONS, TOOLKIT_SECRET, TOOLKIT_USERNAME, SettingError

ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT / "catalog" / "hub-mcp"
ENTRY: dict[str, Any] = yaml.safe_load((FOLDER / "server.yaml").read_text())
PLACEHOLDER = re.compile(r"\{\{([^}]*)\}\}")

TOP_LEVEL = {"name", "image", "type", "meta", "about", "source", "run", "config", "remote", "oauth", "dynamic",
             "longLived"}
SOURCE_KEYS = {"project", "commit", "branch", "directory", "dockerfile", "buildTarget"}
RUN_KEYS = {"command", "volumes", "user", "env", "allowHosts", "disableNetwork"}
CONFIG_KEYS = {"description", "secrets", "parameters", "env"}


def load_script(name: str) -> Any:
    spec = importlib.util.spec_from_file_location(name, ROOT / "catalog" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_generator() -> Any:
    return load_script("tools_json")


def need_git() -> None:
    """The pin is checked against the history; without git or a checkout it cannot be, which in CI
    (a full clone) is a failure, and elsewhere (a tarball) a skip."""
    import shutil

    if shutil.which("git") is None or not (ROOT / ".git").exists():
        message = "not a git checkout: the pinned commit cannot be looked at"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}; CI must test a git clone with its history")
        pytest.skip(message)


def test_name_is_the_folder_name_in_lowercase_letters_digits_and_dashes() -> None:
    assert ENTRY["name"] == FOLDER.name
    assert re.fullmatch(r"[a-z0-9-]+", ENTRY["name"])


def test_only_fields_the_catalog_knows() -> None:
    assert set(ENTRY) <= TOP_LEVEL
    assert set(ENTRY["source"]) <= SOURCE_KEYS
    assert set(ENTRY["run"]) <= RUN_KEYS
    assert set(ENTRY["config"]) <= CONFIG_KEYS


def test_a_local_server_with_an_image_in_the_mcp_namespace() -> None:
    assert ENTRY["type"] == "server"
    assert re.fullmatch(r"mcp/[a-z0-9]+(?:[._-][a-z0-9]+)*", ENTRY["image"])


def test_meta_has_a_category_and_tags() -> None:
    assert isinstance(ENTRY["meta"]["category"], str) and ENTRY["meta"]["category"]
    tags = ENTRY["meta"]["tags"]
    assert isinstance(tags, list) and tags and all(isinstance(t, str) and t for t in tags)


def test_the_title_capitalises_every_word_and_says_neither_mcp_nor_server() -> None:
    title = ENTRY["about"]["title"]
    assert all(word[0].isupper() for word in title.split())
    assert "mcp" not in title.lower() and "server" not in title.lower()
    assert ENTRY["about"]["description"].strip()
    assert re.fullmatch(r"https://\S+", ENTRY["about"]["icon"])


def test_the_source_names_the_project_a_full_commit_and_a_dockerfile_that_exists() -> None:
    source = ENTRY["source"]
    assert re.fullmatch(r"https://github\.com/[\w.-]+/[\w.-]+", source["project"])
    assert re.fullmatch(r"[0-9a-f]{40}", source["commit"])  # required for local servers
    assert (ROOT / source.get("directory", ".") / source.get("dockerfile", "Dockerfile")).is_file()


def test_the_pinned_commit_has_the_dockerfile_and_the_tools_this_entry_lists() -> None:
    """The catalog builds the pinned commit, not the working tree: it must hold the Dockerfile and
    every tool tools.json names. (A git checkout with history is what CI clones; a tarball skips.)"""
    import subprocess

    need_git()
    source = ENTRY["source"]
    commit, dockerfile = source["commit"], source.get("dockerfile", "Dockerfile")

    def show(path: str) -> str:
        done = subprocess.run(
            ["git", "-C", str(ROOT), "show", f"{commit}:{path}"], capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, f"{commit} has no {path}: pin a commit that has it ({done.stderr.strip()})"
        return done.stdout

    assert "ENTRYPOINT" in show(dockerfile)
    pinned_tools = {tool["name"] for tool in json.loads(show("tests/server/schema_snapshot.json"))}
    listed = {tool["name"] for tool in json.loads((FOLDER / "tools.json").read_text())}
    assert listed <= pinned_tools, sorted(listed - pinned_tools)


def test_the_pinned_commit_holds_the_images_files_as_they_are_now() -> None:
    """The catalog builds the pinned commit: when a file the image is built from (the Dockerfile,
    .dockerignore, what .dockerignore lets in) changed after it, the catalog would ship old code.
    `scripts/release` pins HEAD and commits; run it after committing (or merging) the code."""
    need_git()
    pin = load_script("pin")
    assert {"Dockerfile", ".dockerignore", "hub_mcp", "pyproject.toml"} <= set(pin.image_paths())
    assert pin.pinned() == ENTRY["source"]["commit"]
    stale = pin.stale_files(pin.pinned())
    assert not isinstance(stale, str), stale
    assert stale == [], (
        f"the image's files changed after the pinned commit {pin.pinned()}: {pin.shown(stale)};"
        " run scripts/release (it pins HEAD in catalog/hub-mcp/server.yaml and commits that)"
    )


def test_the_pin_check_says_what_changed_and_what_cannot_be_found() -> None:
    """The check itself, on this repository's history: a commit before the last change to the Dockerfile
    is stale in the Dockerfile; a commit this clone does not have is named, with what to do."""
    import subprocess

    need_git()
    pin = load_script("pin")
    last = subprocess.run(
        ["git", "-C", str(ROOT), "log", "-1", "--format=%H", "--", "Dockerfile"], capture_output=True, text=True
    ).stdout.strip()
    assert "Dockerfile" in pin.stale_files(f"{last}~1", last)
    assert pin.stale_files(last, last) == []
    missing = pin.stale_files("0" * 40)
    assert isinstance(missing, str) and "cannot be found" in missing
    assert "unshallow" in missing or "scripts/release" in missing


def test_run_command_placeholders_name_this_servers_parameters() -> None:
    parameters = ENTRY["config"]["parameters"]["properties"]
    command = ENTRY["run"]["command"]
    assert isinstance(command, list) and all(isinstance(arg, str) for arg in command)
    used = [name for arg in command for name in PLACEHOLDER.findall(arg)]
    assert used, "the username parameter should reach the server"
    for name in used:
        server, _, parameter = name.partition(".")
        assert server == ENTRY["name"] and parameter in parameters


@pytest.mark.parametrize("username", ["alice", ""])
def test_this_server_accepts_the_run_command(username: str, monkeypatch: pytest.MonkeyPatch) -> None:
    for option in OPTIONS:
        monkeypatch.delenv(option.env, raising=False)
    argv = [PLACEHOLDER.sub(username, arg) for arg in ENTRY["run"]["command"]]
    settings = parse_settings(argv)
    assert settings.transport == "stdio"  # the Toolkit speaks stdio to the container
    assert settings.username == (username or None)


def test_the_token_without_the_username_is_refused_in_the_toolkits_own_words(monkeypatch: pytest.MonkeyPatch) -> None:
    """The Toolkit gives the secret as HUB_PAT_TOKEN and an empty username as ``--username=``: the server
    refuses to start, naming what the Toolkit's user sees (the secret, the parameter), which this entry
    must then call the same and require (hub-api.md: Docker Hub's login needs the identifier)."""
    for option in OPTIONS:
        monkeypatch.delenv(option.env, raising=False)
    monkeypatch.setenv("HUB_PAT_TOKEN", "dckr_pat_toolkit_s3cret")
    with pytest.raises(SettingError) as refused:
        parse_settings([PLACEHOLDER.sub("", arg) for arg in ENTRY["run"]["command"]])
    message = str(refused.value)
    token = next(secret for secret in ENTRY["config"]["secrets"] if secret["env"] == "HUB_PAT_TOKEN")
    assert (token["name"], TOOLKIT_USERNAME) == (TOOLKIT_SECRET, "username")
    assert f"secret {token['name']}" in message and f"set {TOOLKIT_USERNAME!r} in hub-mcp's configuration" in message
    assert "HUB_USERNAME" not in message and "HUB_PAT_TOKEN" not in message  # variables the Toolkit's user never sees
    assert "dckr_pat_toolkit_s3cret" not in message
    assert "{{%s.%s}}" % (ENTRY["name"], TOOLKIT_USERNAME) in " ".join(ENTRY["run"]["command"])
    assert TOOLKIT_USERNAME in ENTRY["config"]["parameters"]["required"]


def test_secrets_are_named_prefix_dot_name_and_are_variables_this_server_reads_as_secrets() -> None:
    secrets = ENTRY["config"]["secrets"]
    secret_envs = {option.env for option in OPTIONS if option.secret}
    for secret in secrets:
        assert set(secret) == {"name", "env", "example", "description"}
        assert re.fullmatch(rf"{re.escape(ENTRY['name'])}\.[a-z0-9_]+", secret["name"])
        assert secret["env"] in secret_envs
        assert secret["example"] and secret["description"]
    assert "HUB_PAT_TOKEN" in {secret["env"] for secret in secrets}


def test_parameters_are_a_json_schema_object_with_the_username() -> None:
    parameters = ENTRY["config"]["parameters"]
    assert parameters["type"] == "object"
    assert "username" in parameters["properties"]
    assert all(p.get("type") and p.get("description") for p in parameters["properties"].values())
    assert set(parameters.get("required", [])) <= set(parameters["properties"])
    assert "\n" not in ENTRY["config"]["description"].strip()


def test_the_yaml_is_laid_out_as_prettier_would_keep_it() -> None:
    text = (FOLDER / "server.yaml").read_text()
    assert text.endswith("\n") and not text.endswith("\n\n")
    for number, line in enumerate(text.splitlines(), start=1):
        assert "\t" not in line and line == line.rstrip(), f"line {number}"
        indent = len(line) - len(line.lstrip(" "))
        assert indent % 2 == 0, f"line {number}: indentation of {indent}"


def test_the_licence_is_one_the_catalog_accepts() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["license"]["text"] in {"MIT", "Apache-2.0", "BSD-3-Clause", "ISC"}


def test_tools_json_is_current() -> None:
    generator = load_generator()
    snapshot = json.loads(generator.SNAPSHOT.read_text())
    assert (FOLDER / "tools.json").read_text() == generator.render(snapshot), (
        "stale: run .venv/bin/python catalog/tools_json.py"
    )


def test_tools_json_lists_every_tool_in_the_catalog_format() -> None:
    tools = json.loads((FOLDER / "tools.json").read_text())
    snapshot = json.loads((ROOT / "tests" / "server" / "schema_snapshot.json").read_text())
    assert [tool["name"] for tool in tools] == [tool["name"] for tool in snapshot]
    for tool, listed in zip(tools, snapshot, strict=True):
        assert set(tool) == {"name", "description", "arguments", "annotations"}
        assert tool["description"] and "\n        " not in tool["description"]  # docstring indent removed
        required = set(listed["input_schema"].get("required", []))
        assert {a["name"] for a in tool["arguments"]} == set(listed["input_schema"]["properties"])
        for arg in tool["arguments"]:
            assert set(arg) <= {"name", "type", "desc", "optional", "items"} and arg["desc"]
            assert arg["type"] in {"string", "integer", "number", "boolean", "array", "object"}
            assert arg.get("optional", False) is (arg["name"] not in required)
            assert ("items" in arg) is (arg["type"] == "array")
        assert tool["annotations"]["title"] == listed["title"]
        assert tool["annotations"]["readOnlyHint"] is listed["annotations"]["readOnlyHint"]
