"""Image references and platforms as models write them."""

from __future__ import annotations

import pytest

from hub_mcp.errors import InvalidInput
from hub_mcp.vocab.references import ImageReference, Platform, parse_hub_repository, parse_namespace

DIGEST = "sha256:" + "ab" * 32


@pytest.mark.parametrize(
    ("text", "registry", "repository", "tag", "digest", "familiar"),
    [
        ("python", "docker.io", "library/python", None, None, "python"),
        ("library/python", "docker.io", "library/python", None, None, "python"),
        ("docker.io/library/python:3.12-slim", "docker.io", "library/python", "3.12-slim", None, "python:3.12-slim"),
        ("index.docker.io/library/python:3", "docker.io", "library/python", "3", None, "python:3"),
        (f"bitnami/redis@{DIGEST}", "docker.io", "bitnami/redis", None, DIGEST, f"bitnami/redis@{DIGEST}"),
        (f"python:3.12@{DIGEST}", "docker.io", "library/python", "3.12", DIGEST, f"python:3.12@{DIGEST}"),
        ("ghcr.io/owner/img:tag", "ghcr.io", "owner/img", "tag", None, "ghcr.io/owner/img:tag"),
        ("localhost:5000/app", "localhost:5000", "app", None, None, "localhost:5000/app"),
        ("localhost/app:v1", "localhost", "app", "v1", None, "localhost/app:v1"),
        ("quay.io/org/sub/img", "quay.io", "org/sub/img", None, None, "quay.io/org/sub/img"),
        ("my_org/my-app__x.y", "docker.io", "my_org/my-app__x.y", None, None, "my_org/my-app__x.y"),
        ("  python:3.12  ", "docker.io", "library/python", "3.12", None, "python:3.12"),
    ],
)
def test_parse_and_normalize(
    text: str, registry: str, repository: str, tag: str | None, digest: str | None, familiar: str
) -> None:
    ref = ImageReference.parse(text)
    assert (ref.registry, ref.repository, ref.tag, ref.digest) == (registry, repository, tag, digest)
    assert ref.familiar == familiar


def test_canonical_and_parts() -> None:
    ref = ImageReference.parse("python:3.12-slim")
    assert ref.canonical == "docker.io/library/python:3.12-slim"
    assert (ref.namespace, ref.name, ref.is_official) == ("library", "python", True)
    assert not ImageReference.parse("bitnami/redis").is_official


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "empty"),
        ("Python", "lowercase"),
        ("python:", "invalid tag"),
        ("python:-x", "invalid tag"),
        ("python:" + "a" * 129, "invalid tag"),
        ("python@sha256:abc", "64"),
        ("python@md5", "digest"),
        ("a//b", "empty path"),
        ("a/b/c", "exactly two parts"),
        ("py thon", "white space"),
        ("python-", "invalid name component"),
        ("ghcr.io/", "no repository"),
    ],
)
def test_invalid_references_say_what_is_wrong(text: str, words: str) -> None:
    with pytest.raises(InvalidInput) as err:
        ImageReference.parse(text)
    assert words in str(err.value)


def test_hub_only_parse_refuses_other_registries() -> None:
    with pytest.raises(InvalidInput) as err:
        parse_hub_repository("ghcr.io/owner/img")
    assert "ghcr.io" in str(err.value) and "Docker Hub" in str(err.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("arm64", "linux/arm64/v8"),
        ("aarch64", "linux/arm64/v8"),
        ("linux/arm64/v8", "linux/arm64/v8"),
        ("arm64v8", "linux/arm64/v8"),
        ("arm/v7", "linux/arm/v7"),
        ("arm32v7", "linux/arm/v7"),
        ("amd64", "linux/amd64"),
        ("x86_64", "linux/amd64"),
        ("windows/amd64", "windows/amd64"),
        ("LINUX/S390X", "linux/s390x"),
    ],
)
def test_platform_spellings_normalize(text: str, expected: str) -> None:
    assert str(Platform.parse(text)) == expected


def test_platform_matching_and_unknown_arch() -> None:
    assert Platform.parse("arm64").matches(Platform.from_parts("linux", "arm64", "v8"))
    assert Platform("linux", "arm64").matches(Platform.from_parts("linux", "arm64", None))
    assert not Platform.parse("arm64").matches(Platform.from_parts("linux", "amd64"))
    assert not Platform.parse("arm/v7").matches(Platform.from_parts("linux", "arm", "v6"))
    with pytest.raises(InvalidInput) as err:
        Platform.parse("sparc")
    assert "Unknown architecture" in str(err.value)


@pytest.mark.parametrize("text", ["../../x", "..", "a/b", "./x", "x..y", "-acme", "ac me", "acme/"])
def test_a_namespace_that_is_not_one_name_is_refused_as_written(text: str) -> None:
    """Issue 17: '../../x' as a namespace went to Hub and came back in messages as '././x'."""
    with pytest.raises(InvalidInput) as err:
        parse_namespace(text)
    assert f"{text!r} is not a Docker Hub namespace" in str(err.value)


@pytest.mark.parametrize(("text", "kept"), [("bitnami", "bitnami"), (" Acme ", "acme"), ("my-org_2", "my-org_2")])
def test_a_namespace_is_one_lowercase_name(text: str, kept: str) -> None:
    assert parse_namespace(text) == kept


def test_a_dot_segment_in_a_reference_is_named_as_written() -> None:
    with pytest.raises(InvalidInput) as err:
        ImageReference.parse("../../x")
    assert "'../../x'" in str(err.value) and "'..'" in str(err.value) and "././x" not in str(err.value)


@pytest.mark.parametrize(
    "text",
    ["a" * 180_000, "python:" + "b" * 180_000, "x.io/" + "A" * 180_000, "localhost:" + "1" * 5_000 + "/a", "a b" * 60_000],
)
def test_an_invalid_huge_reference_is_quoted_by_a_short_prefix(text: str) -> None:
    """Before, the whole input came back (a 180,000-character FROM gave a 180,174-character error),
    and a port of 5,000 digits was an internal error (int() refuses more than 4,300 digits)."""
    with pytest.raises(InvalidInput) as caught:
        ImageReference.parse(text)
    assert len(str(caught.value)) < 400
    assert f"({len(text):,} characters)" in str(caught.value)
