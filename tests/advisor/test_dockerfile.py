"""Tests of the Dockerfile FROM-line parser (hub_mcp.advisor.dockerfile).

Expected values follow BuildKit's Dockerfile frontend (what ``docker build`` runs), except
where the module documents a deliberate difference (unresolved variables are reported
instead of becoming empty strings; ``--platform <p>`` with a space is accepted; stage
references match case-insensitively).
"""

from __future__ import annotations

import dataclasses
import random
import re

import pytest

from hub_mcp.advisor.dockerfile import (
    MAX_DOCKERFILE_BYTES,
    MAX_DOCKERFILE_LINES,
    FromLine,
    parse_from_lines,
    parse_image_lines,
)


def df(*lines: str) -> str:
    return "\n".join(lines) + "\n"


def only(text: str, build_args: dict[str, str] | None = None) -> FromLine:
    lines = parse_from_lines(text, build_args)
    assert len(lines) == 1, lines
    return lines[0]


def summary(text: str, build_args: dict[str, str] | None = None) -> list[tuple[object, ...]]:
    """(line, resolved, kind, stage, stage_ref) of every FROM line."""
    return [
        (f.line, f.resolved, f.kind, f.stage, f.stage_ref)
        for f in parse_from_lines(text, build_args)
    ]


# --------------------------------------------------------------------------------------
# Basics and multi-stage builds
# --------------------------------------------------------------------------------------


def test_single_from_line() -> None:
    assert parse_from_lines("FROM python:3.12-slim\n") == [
        FromLine(
            line=1,
            original="python:3.12-slim",
            resolved="python:3.12-slim",
            unresolved=(),
            stage=None,
            platform=None,
            kind="image",
            stage_ref=None,
        )
    ]


def test_from_line_is_frozen() -> None:
    line = only("FROM alpine\n")
    with pytest.raises(dataclasses.FrozenInstanceError):
        line.resolved = "other"  # type: ignore[misc]


def test_multi_stage_build() -> None:
    text = df(
        "FROM golang:1.23 AS builder",
        "WORKDIR /src",
        "RUN go build -o /app .",
        "",
        "FROM builder AS tester",
        "RUN go test ./...",
        "",
        "FROM scratch",
        "COPY --from=builder /app /app",
        "FROM gcr.io/distroless/static-debian12:nonroot AS final",
        "COPY --from=0 /app /app",
    )
    assert summary(text) == [
        (1, "golang:1.23", "image", "builder", None),
        (5, "builder", "stage", "tester", "builder"),
        (8, "scratch", "scratch", None, None),
        (10, "gcr.io/distroless/static-debian12:nonroot", "image", "final", None),
    ]


def test_no_from_gives_empty_list() -> None:
    assert parse_from_lines("") == []
    assert parse_from_lines(df("# just a comment", "ARG X=1", "")) == []


STAGE_CASES = [
    # Stage names are lower-cased; references match case-insensitively.
    (df("FROM alpine AS Builder", "FROM BUILDER"), [
        (1, "alpine", "image", "builder", None),
        (2, "BUILDER", "stage", None, "builder"),
    ]),
    # Only EARLIER stages can be referenced: a later stage of the same name does not count.
    (df("FROM app", "FROM alpine AS app"), [
        (1, "app", "image", None, None),
        (2, "alpine", "image", "app", None),
    ]),
    # A stage cannot be its own base: this is the image "node".
    (df("FROM node AS node"), [(1, "node", "image", "node", None)]),
    # A reference produced by ARG substitution still names the stage.
    (df("ARG BASE=deps", "FROM node:22 AS deps", "FROM ${BASE}"), [
        (2, "node:22", "image", "deps", None),
        (3, "deps", "stage", None, "deps"),
    ]),
    # "scratch" is Docker's exact keyword (other spellings are invalid image names).
    (df("FROM Scratch"), [(1, "Scratch", "image", None, None)]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), STAGE_CASES)
def test_stage_references(text: str, expected: list[tuple[object, ...]]) -> None:
    assert summary(text) == expected


# --------------------------------------------------------------------------------------
# ARG substitution
# --------------------------------------------------------------------------------------

ARG_CASES: list[tuple[str, str, dict[str, str] | None, str | None, tuple[str, ...]]] = [
    # (id, dockerfile, build_args, resolved, unresolved)
    ("default", df("ARG PY=3.12", "FROM python:${PY}-slim"), None, "python:3.12-slim", ()),
    ("override", df("ARG PY=3.12", "FROM python:${PY}-slim"), {"PY": "3.13"},
     "python:3.13-slim", ()),
    ("bare-dollar", df("ARG REG=ghcr.io", "FROM $REG/acme/app:1"), None, "ghcr.io/acme/app:1", ()),
    ("no-default-missing", df("ARG PY", "FROM python:${PY}-slim"), None, None, ("PY",)),
    ("no-default-given", df("ARG PY", "FROM python:${PY}-slim"), {"PY": "3.11"},
     "python:3.11-slim", ()),
    # Docker ignores build args that are not declared before the first FROM.
    ("undeclared-build-arg", df("FROM python:${PY}"), {"PY": "3.12"}, None, ("PY",)),
    ("two-missing", df("ARG REG", "ARG TAG", "FROM ${REG}/app:${TAG}-${REG}"), None, None,
     ("REG", "TAG")),
    ("multiple-on-one-line", df("ARG A=python B=3.12", "FROM $A:$B"), None, "python:3.12", ()),
    ("double-quoted", df('ARG PY="3.12"', "FROM python:${PY}"), None, "python:3.12", ()),
    ("single-quoted", df("ARG DIST='bookworm'", "FROM debian:$DIST"), None, "debian:bookworm", ()),
    ("default-uses-earlier-arg", df("ARG PY=3.12", "ARG BASE=python:${PY}-alpine", "FROM $BASE"),
     None, "python:3.12-alpine", ()),
    ("build-arg-changes-dependent-default",
     df("ARG PY=3.12", "ARG BASE=python:${PY}", "FROM $BASE"), {"PY": "3.9"}, "python:3.9", ()),
    ("dependent-default-on-missing-arg", df("ARG PY", "ARG BASE=python:${PY}", "FROM $BASE"),
     None, None, ("PY",)),
    # Build arg values are taken literally, as Docker does.
    ("build-arg-not-expanded", df("ARG IMG", "FROM $IMG"), {"IMG": "alpine"}, "alpine", ()),
    ("redeclared-without-default-keeps-value", df("ARG V=3.20", "ARG V", "FROM alpine:$V"), None,
     "alpine:3.20", ()),
    ("empty-default-is-a-value", df("ARG SUFFIX=", "FROM alpine$SUFFIX"), None, "alpine", ()),
    ("quoted-image-word", df('FROM "alpine:3.20"'), None, "alpine:3.20", ()),
    # An escaped $ is literal (the escape itself is removed, as Docker does).
    ("escaped-dollar", df("ARG X=1", r"FROM img:\$X"), None, "img:$X", ()),
    ("lone-dollar", df("FROM img$"), None, "img$", ()),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "build_args", "resolved", "unresolved"),
    [case[1:] for case in ARG_CASES],
    ids=[case[0] for case in ARG_CASES],
)
def test_arg_substitution(
    text: str,
    build_args: dict[str, str] | None,
    resolved: str | None,
    unresolved: tuple[str, ...],
) -> None:
    line = only(text, build_args)
    assert (line.resolved, line.unresolved) == (resolved, unresolved)


OPERATOR_CASES: list[tuple[str, dict[str, str] | None, str | None, tuple[str, ...]]] = [
    # (image word after "ARG TAG\nARG EMPTY=\nARG V=3.12.7\n", build_args, resolved, unresolved)
    ("img:${TAG:-latest}", None, "img:latest", ()),
    ("img:${TAG:-latest}", {"TAG": "1.2"}, "img:1.2", ()),
    ("img:${EMPTY:-latest}", None, "img:latest", ()),
    ("img:${EMPTY-latest}", None, "img:", ()),  # without ':' an empty value counts as set
    ("img:${TAG-latest}", None, "img:latest", ()),
    ("img:${TAG:-$V}", None, "img:3.12.7", ()),
    ("img:${TAG:-$NOPE}", None, None, ("NOPE",)),
    ("img:${V:-$NOPE}", None, "img:3.12.7", ()),  # the unused default is not needed
    ("img:3${TAG:+-$TAG}", None, "img:3", ()),
    ("img:3${TAG:+-$TAG}", {"TAG": "slim"}, "img:3-slim", ()),
    ("img:${TAG+x}", None, "img:", ()),
    ("img:${TAG:?required}", None, None, ("TAG",)),
    ("img:${V:?required}", None, "img:3.12.7", ()),
    ("img:${EMPTY:?required}", None, None, ("EMPTY",)),
    ("img:${V%.*}", None, "img:3.12", ()),
    ("img:${V%%.*}", None, "img:3", ()),
    ("img:${V#*.}", None, "img:12.7", ()),
    ("img:${V##*.}", None, "img:7", ()),
    ("img:${V/./-}", None, "img:3-12.7", ()),
    ("img:${V//./-}", None, "img:3-12-7", ()),
    ("img:${TAG%.*}", None, None, ("TAG",)),
    ('"img:${V}"', None, "img:3.12.7", ()),
    ("'img:${V}'", None, "img:${V}", ()),  # single quotes: nothing is substituted
]


@pytest.mark.parametrize(("word", "build_args", "resolved", "unresolved"), OPERATOR_CASES)
def test_substitution_operators(
    word: str,
    build_args: dict[str, str] | None,
    resolved: str | None,
    unresolved: tuple[str, ...],
) -> None:
    line = only(df("ARG TAG", "ARG EMPTY=", "ARG V=3.12.7", f"FROM {word}"), build_args)
    assert (line.resolved, line.unresolved) == (resolved, unresolved)
    assert line.original == word


def test_args_inside_a_stage_do_not_reach_later_from_lines() -> None:
    text = df(
        "ARG TAG=3.20",
        "FROM alpine:${TAG} AS one",
        "ARG TAG=3.19",  # belongs to stage "one" only
        "ARG OTHER=x",
        "FROM alpine:${TAG}",
        "FROM alpine:${OTHER}",
    )
    lines = parse_from_lines(text, {"OTHER": "y"})
    assert [f.resolved for f in lines] == ["alpine:3.20", "alpine:3.20", None]
    assert lines[2].unresolved == ("OTHER",)


def test_automatic_platform_args_are_never_guessed() -> None:
    text = df("FROM --platform=$BUILDPLATFORM golang:1.23 AS build", "FROM base-${TARGETARCH}")
    lines = parse_from_lines(text)
    assert lines[0].platform == "$BUILDPLATFORM"
    assert lines[0].resolved == "golang:1.23"
    assert (lines[1].resolved, lines[1].unresolved) == (None, ("TARGETARCH",))
    # Its emptiness is unknown too, so even a default does not decide.
    assert only(df("FROM base-${TARGETARCH:-amd64}")).unresolved == ("TARGETARCH",)
    # The caller may supply the value.
    assert only(df("FROM base-${TARGETARCH}"), {"TARGETARCH": "arm64"}).resolved == "base-arm64"


# --------------------------------------------------------------------------------------
# Lexical rules: case, continuations, comments, directives, line endings
# --------------------------------------------------------------------------------------

LEXICAL_CASES: list[tuple[str, str, list[tuple[object, ...]]]] = [
    ("lowercase-instructions", df("arg V=1", "from alpine:$V as base", "From base"), [
        (2, "alpine:1", "image", "base", None),
        (3, "base", "stage", None, "base"),
    ]),
    ("leading-whitespace", df("   FROM\talpine\t  AS   x  "), [(1, "alpine", "image", "x", None)]),
    ("continuation", df("FROM \\", "    python:3.12 \\", "    AS build"), [
        (1, "python:3.12", "image", "build", None),
    ]),
    ("continuation-with-trailing-spaces", df("FROM alpine \\  ", "  AS x"), [
        (1, "alpine", "image", "x", None),
    ]),
    ("comment-and-blank-inside-continuation",
     df("RUN apt-get update && \\", "  # FROM not-an-instruction", "", "  apt-get install -y x",
        "FROM alpine"),
     [(5, "alpine", "image", None, None)]),
    ("comment-inside-from-continuation", df("FROM \\", "# the base", "  alpine:3.20"), [
        (1, "alpine:3.20", "image", None, None),
    ]),
    ("comment-lines-are-skipped", df("# FROM evil", "   # FROM evil2", "FROM good"), [
        (3, "good", "image", None, None),
    ]),
    ("escaped-escape-is-not-a-continuation", df("RUN echo \\\\", "FROM alpine"), [
        (2, "alpine", "image", None, None),
    ]),
    ("crlf-and-bom", "\ufeffARG V=1\r\nFROM alpine:$V\r\nFROM busybox\r\n", [
        (2, "alpine:1", "image", None, None),
        (3, "busybox", "image", None, None),
    ]),
    ("no-trailing-newline", "FROM alpine", [(1, "alpine", "image", None, None)]),
    ("syntax-directive-ignored", df("# syntax=docker/dockerfile:1.7", "FROM alpine"), [
        (2, "alpine", "image", None, None),
    ]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"),
    [case[1:] for case in LEXICAL_CASES],
    ids=[case[0] for case in LEXICAL_CASES],
)
def test_lexical_rules(text: str, expected: list[tuple[object, ...]]) -> None:
    assert summary(text) == expected


def test_backtick_escape_directive() -> None:
    text = df(
        "# escape=`",
        "ARG WIN=ltsc2022",
        "FROM mcr.microsoft.com/windows/servercore:${WIN} `",
        "    AS base",
        r"RUN dir C:\ ",
        r"COPY app C:\app\ ",
        "FROM base",
    )
    assert summary(text) == [
        (3, "mcr.microsoft.com/windows/servercore:ltsc2022", "image", "base", None),
        (7, "base", "stage", None, "base"),
    ]


def test_backtick_escapes_a_dollar() -> None:
    assert only(df("# escape=`", "ARG X=1", "FROM img:`$X")).resolved == "img:$X"


def test_escape_directive_after_syntax_directive() -> None:
    text = df("# syntax=docker/dockerfile:1", "# escape=`", "FROM alpine `", "  AS x")
    assert summary(text) == [(3, "alpine", "image", "x", None)]


def test_escape_directive_below_a_blank_line_is_a_comment() -> None:
    # Directives end at the first non-directive line, so "\" is still the escape.
    text = df("", "# escape=`", "FROM alpine \\", "  AS x")
    assert summary(text) == [(3, "alpine", "image", "x", None)]


# --------------------------------------------------------------------------------------
# --platform
# --------------------------------------------------------------------------------------

PLATFORM_CASES: list[tuple[str, str | None, str]] = [
    ("FROM --platform=linux/amd64 alpine", "linux/amd64", "alpine"),
    ("FROM --platform=$BUILDPLATFORM golang AS b", "$BUILDPLATFORM", "golang"),
    ("FROM --platform=${TARGETPLATFORM} alpine", "${TARGETPLATFORM}", "alpine"),
    ('FROM --platform="linux/arm64/v8" alpine', "linux/arm64/v8", "alpine"),
    ("FROM --platform linux/arm64 alpine AS x", "linux/arm64", "alpine"),  # lenient form
    ("FROM --PLATFORM=linux/386 alpine", "linux/386", "alpine"),
    ("FROM --platform= alpine", None, "alpine"),
    ("FROM alpine", None, "alpine"),
]


@pytest.mark.parametrize(("line", "platform", "resolved"), PLATFORM_CASES)
def test_platform_flag(line: str, platform: str | None, resolved: str) -> None:
    parsed = only(df(line))
    assert (parsed.platform, parsed.resolved) == (platform, resolved)


PLATFORM_SUBSTITUTION_CASES: list[tuple[str, dict[str, str] | None, str | None, tuple[str, ...]]] = [
    # (dockerfile, build_args, platform_resolved, platform_unresolved)
    (df("FROM --platform=linux/arm/v7 node:24-alpine"), None, "linux/arm/v7", ()),
    (df("FROM --platform=$BUILDPLATFORM golang"), None, None, ("BUILDPLATFORM",)),
    (df("FROM --platform=${TARGETPLATFORM} alpine"), None, None, ("TARGETPLATFORM",)),
    (df("FROM --platform=$TARGETPLATFORM alpine"), {"TARGETPLATFORM": "linux/arm64"},
     "linux/arm64", ()),
    (df("FROM --platform=linux/${TARGETARCH} alpine"), None, None, ("TARGETARCH",)),
    (df("ARG ARCH=arm64", "FROM --platform=linux/$ARCH alpine"), None, "linux/arm64", ()),
    (df("ARG ARCH", "FROM --platform=linux/$ARCH alpine"), None, None, ("ARCH",)),
    (df("FROM alpine"), None, None, ()),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "build_args", "resolved", "unresolved"), PLATFORM_SUBSTITUTION_CASES
)
def test_platform_is_substituted_like_the_image(
    text: str, build_args: dict[str, str] | None, resolved: str | None, unresolved: tuple[str, ...]
) -> None:
    parsed = only(text, build_args)
    assert (parsed.platform_resolved, parsed.platform_unresolved) == (resolved, unresolved)


# --------------------------------------------------------------------------------------
# Heredocs
# --------------------------------------------------------------------------------------

HEREDOC_CASES: list[tuple[str, str, list[tuple[object, ...]]]] = [
    ("run-heredoc", df("FROM alpine", "RUN <<EOF", "FROM evil", "echo hi", "EOF", "FROM busybox"), [
        (1, "alpine", "image", None, None),
        (6, "busybox", "image", None, None),
    ]),
    ("chomp-with-tabs", df("FROM a", "RUN <<-END", "\tFROM evil", "\tEND", "FROM b"), [
        (1, "a", "image", None, None),
        (5, "b", "image", None, None),
    ]),
    ("quoted-delimiter", df("FROM a", "RUN <<'EOT' bash", "FROM evil", "EOT", "FROM b"), [
        (1, "a", "image", None, None),
        (5, "b", "image", None, None),
    ]),
    ("two-heredocs", df("FROM a", "COPY <<ONE <<TWO /dst/", "FROM x", "ONE", "FROM y", "TWO",
                        "FROM b"), [
        (1, "a", "image", None, None),
        (7, "b", "image", None, None),
    ]),
    ("heredoc-after-continuation", df("FROM a", "RUN --mount=type=cache,target=/c \\",
                                      "    python3 <<PY", "FROM evil", "PY", "FROM b"), [
        (1, "a", "image", None, None),
        (6, "b", "image", None, None),
    ]),
    ("fd-and-pipe", df("FROM a", "RUN cat 0<<EOF | sh", "FROM evil", "EOF", "FROM b"), [
        (1, "a", "image", None, None),
        (5, "b", "image", None, None),
    ]),
    ("onbuild-heredoc", df("FROM a", "ONBUILD RUN <<EOF", "FROM evil", "EOF", "FROM b"), [
        (1, "a", "image", None, None),
        (5, "b", "image", None, None),
    ]),
    # BuildKit's lexer keeps the blanks after "<<" in the word: these are heredocs too.
    ("space-after-operator", df("FROM a", "RUN << EOF", "FROM evil", "EOF", "FROM b"), [
        (1, "a", "image", None, None),
        (5, "b", "image", None, None),
    ]),
    ("tab-after-operator", df("FROM a", "RUN cat <<\tEOF", "FROM evil", "EOF", "FROM b"), [
        (1, "a", "image", None, None),
        (5, "b", "image", None, None),
    ]),
    ("chomp-then-space", df("FROM a", "RUN <<- EOF", "\tFROM evil", "\tEOF", "FROM b"), [
        (1, "a", "image", None, None),
        (5, "b", "image", None, None),
    ]),
    # "<< -EOF" names the delimiter "-EOF" (no chomping): "EOF" alone does not end it.
    ("space-then-dash-names-dash-eof",
     df("FROM a", "RUN << -EOF", "EOF", "FROM evil", "-EOF", "FROM b"), [
        (1, "a", "image", None, None),
        (6, "b", "image", None, None),
    ]),
    ("space-after-operator-in-copy", df("FROM a", "COPY << FILE /dst", "FROM evil", "FILE",
                                        "FROM b"), [
        (1, "a", "image", None, None),
        (5, "b", "image", None, None),
    ]),
    # Not heredocs: quoted, JSON form, other instructions, and "<<" glued to a word.
    ("quoted-is-not-heredoc", df('FROM a', 'RUN echo "<<EOF"', "FROM b"), [
        (1, "a", "image", None, None),
        (3, "b", "image", None, None),
    ]),
    ("json-form-is-not-heredoc", df("FROM a", 'RUN ["sh", "-c", "cat <<EOF"]', "FROM b"), [
        (1, "a", "image", None, None),
        (3, "b", "image", None, None),
    ]),
    ("label-is-not-heredoc", df("FROM a", "LABEL note=<<EOF", "FROM b"), [
        (1, "a", "image", None, None),
        (3, "b", "image", None, None),
    ]),
    ("shift-is-not-heredoc", df("FROM a", "RUN echo $((1<<2))", "FROM b"), [
        (1, "a", "image", None, None),
        (3, "b", "image", None, None),
    ]),
    ("glued-with-space-is-not-heredoc", df("FROM a", "RUN cat<< EOF", "FROM b"), [
        (1, "a", "image", None, None),
        (3, "b", "image", None, None),
    ]),
    ("operator-at-end-is-not-heredoc", df("FROM a", "RUN cat << ", "FROM b"), [
        (1, "a", "image", None, None),
        (3, "b", "image", None, None),
    ]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"),
    [case[1:] for case in HEREDOC_CASES],
    ids=[case[0] for case in HEREDOC_CASES],
)
def test_heredocs(text: str, expected: list[tuple[object, ...]]) -> None:
    assert summary(text) == expected


# --------------------------------------------------------------------------------------
# Errors and bounds
# --------------------------------------------------------------------------------------

ERROR_CASES: list[tuple[str, str, str]] = [
    ("from-without-image", df("FROM alpine", "FROM"), r"Line 2: FROM has no image"),
    ("platform-without-image", df("FROM --platform=linux/amd64"), r"Line 1: FROM has no image"),
    ("trailing-comment", df("ARG X=1", "FROM alpine # base image"),
     r"Line 2: FROM takes an image .* Comments must be on their own line"),
    ("two-words", df("FROM alpine latest"), r"Line 1: FROM takes an image"),
    ("as-without-name", df("FROM alpine AS"), r"Line 1: FROM takes an image"),
    ("bad-stage-name", df("FROM alpine AS 1st"), r"Line 1: '1st' is not a valid stage name"),
    ("stage-name-with-symbol", df("FROM alpine AS my$stage"), r"not a valid stage name"),
    ("duplicate-platform", df("FROM --platform=a --platform=b alpine"), r"--platform twice"),
    ("missing-brace", df("FROM python:${PY"), r"Line 1: cannot substitute .*missing '}'"),
    ("bad-substitution", df("FROM python:${}"), r"Line 1: cannot substitute .*bad substitution"),
    ("bad-modifier", df("ARG V=1", "FROM img:${V:0:1}"), r"Line 2: .*unsupported modifier"),
    ("unclosed-quote", df('FROM "alpine'), r"Line 1: .*double quote is never closed"),
    ("bad-global-arg-default", df("ARG X=${", "FROM alpine"), r"Line 1: .*ARG X"),
    ("blank-arg-name", df("ARG =1", "FROM alpine"), r"Line 1: ARG '=1' has no name"),
    ("empty-after-substitution", df("ARG IMG=", "FROM $IMG"), r"Line 2: .*empty name"),
    ("unterminated-heredoc", df("FROM a", "RUN <<EOF", "echo hi"),
     r"Line 2: the heredoc <<EOF is never closed"),
    ("bad-escape-directive", df("# escape=x", "FROM alpine"), r"Line 1: the escape directive"),
    ("duplicate-escape-directive", df("# escape=`", "# escape=`", "FROM alpine"),
     r"Line 2: only one `# escape=`"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "message"),
    [case[1:] for case in ERROR_CASES],
    ids=[case[0] for case in ERROR_CASES],
)
def test_malformed_dockerfiles_raise(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_from_lines(text)


@pytest.mark.parametrize("value", [None, b"FROM alpine\n", 42, ["FROM alpine"]])
def test_non_string_input_raises(value: object) -> None:
    with pytest.raises(ValueError, match="must be given as text"):
        parse_from_lines(value)  # type: ignore[arg-type]


@pytest.mark.parametrize("build_args", [{"PY": 3}, {1: "x"}, ["PY=3"]])
def test_bad_build_args_raise(build_args: object) -> None:
    with pytest.raises(ValueError, match="build_args"):
        parse_from_lines("FROM alpine\n", build_args)  # type: ignore[arg-type]


def test_size_bound() -> None:
    at_limit = "FROM alpine\n" + "#" * (MAX_DOCKERFILE_BYTES - len("FROM alpine\n"))
    assert len(parse_from_lines(at_limit)) == 1
    with pytest.raises(ValueError, match="larger than"):
        parse_from_lines(at_limit + "#")
    # The bound is in UTF-8 bytes, not characters.
    with pytest.raises(ValueError, match="larger than"):
        parse_from_lines("FROM alpine\n#" + "é" * (MAX_DOCKERFILE_BYTES // 2))


def test_line_bound() -> None:
    at_limit = "FROM alpine\n" + "\n" * (MAX_DOCKERFILE_LINES - 1)
    assert len(parse_from_lines(at_limit)) == 1
    with pytest.raises(ValueError, match=f"at most {MAX_DOCKERFILE_LINES:,}"):
        parse_from_lines(at_limit + "\n")


def test_line_numbers_count_every_physical_line() -> None:
    text = df(
        "# syntax=docker/dockerfile:1",  # 1
        "ARG BASE=alpine",  # 2
        "",  # 3
        "FROM $BASE AS a",  # 4
        "RUN <<EOF",  # 5
        "  echo one",  # 6
        "EOF",  # 7
        "RUN echo \\",  # 8
        "  two",  # 9
        "FROM \\",  # 10
        "  a",  # 11
    )
    assert [f.line for f in parse_from_lines(text)] == [4, 10]


def test_substituted_text_is_bounded() -> None:
    # Each ARG doubles the previous one: Docker would build a 100 GB string.
    doubling = "".join(f"ARG A{i + 1}=$A{i}$A{i}\n" for i in range(40))
    with pytest.raises(ValueError, match=r"Line 8: .*more than 65,536 characters"):
        parse_from_lines("ARG A0=" + "x" * 1000 + "\n" + doubling + "FROM alpine\n")
    with pytest.raises(ValueError, match="too much text"):
        parse_from_lines("ARG V\n" + "FROM $V\n" * 2000, {"V": "v" * 60_000})


def test_wildcard_work_is_bounded() -> None:
    text = "ARG V\n" + "FROM img:${V#*a*a*a*b}\n" * 200
    with pytest.raises(ValueError, match="too much work"):
        parse_from_lines(text, {"V": "a" * 60_000})


def test_escaped_wildcards_are_literal() -> None:
    text = df("ARG V", r"FROM x${V#\*}", r"FROM x${V%\?}", r"FROM x${V/\*/-}")
    lines = parse_from_lines(text, {"V": "*a?"})
    assert [f.resolved for f in lines] == ["xa?", "x*a", "x-a?"]


def _glob_regex(pattern: str, *, greedy: bool) -> str:
    star = ".*" if greedy else ".*?"
    return "".join({"*": star, "?": "."}.get(ch, re.escape(ch)) for ch in pattern)


def _go_replace_all(regex: re.Pattern[str], value: str, replacement: str) -> str:
    """Go's ReplaceAllString: an empty match right after a match is not replaced."""
    out: list[str] = []
    position, search, previous_end = 0, 0, -1
    while search <= len(value):
        match = regex.search(value, search)
        if match is None:
            break
        begin, end = match.span()
        if begin == end == previous_end:
            search = begin + 1
            continue
        out += [value[position:begin], replacement]
        position = previous_end = end
        search = end if end > begin else end + 1
    return "".join(out) + value[position:]


@pytest.mark.parametrize("seed", range(4))
def test_wildcard_operators_follow_regex_semantics(seed: int) -> None:
    """${V#p} ${V##p} ${V%p} ${V%%p} ${V/p/-} ${V//p/-} agree with BuildKit's regexes.

    BuildKit turns the pattern into a Go regex (``*`` -> ``.*?`` or ``.*``, ``?`` -> ``.``);
    Python's ``re`` has the same leftmost-first semantics, so it is the reference here.
    """
    rng = random.Random(seed)
    for _ in range(150):
        pattern = "".join(rng.choice("ab*?") for _ in range(rng.randint(0, 4)))
        value = "".join(rng.choice("abc") for _ in range(rng.randint(0, 7)))
        lazy = re.compile("^" + _glob_regex(pattern, greedy=False))
        greedy = re.compile("^" + _glob_regex(pattern, greedy=True))
        lazy_reversed = re.compile("^" + _glob_regex(pattern[::-1], greedy=False))
        greedy_reversed = re.compile("^" + _glob_regex(pattern[::-1], greedy=True))
        anywhere = re.compile(_glob_regex(pattern, greedy=True))

        def trim_prefix(regex: re.Pattern[str], text: str) -> str:
            match = regex.match(text)
            return text[match.end() :] if match else text

        first = anywhere.search(value)
        expected = [
            trim_prefix(lazy, value),
            trim_prefix(greedy, value),
            trim_prefix(lazy_reversed, value[::-1])[::-1],
            trim_prefix(greedy_reversed, value[::-1])[::-1],
            value if first is None else value[: first.start()] + "-" + value[first.end() :],
            _go_replace_all(anywhere, value, "-"),
        ]
        operators = [f"#{pattern}", f"##{pattern}", f"%{pattern}", f"%%{pattern}",
                     f"/{pattern}/-", f"//{pattern}/-"]  # fmt: skip
        if not pattern:  # "${V//-}" is replace-all with an unclosed pattern, as in BuildKit
            operators, expected = operators[:4], expected[:4]
        text = "ARG V\n" + "".join(f"FROM x${{V{op}}}\n" for op in operators)
        got = [f.resolved for f in parse_from_lines(text, {"V": value})]
        assert got == ["x" + e for e in expected], (pattern, value)


# --------------------------------------------------------------------------------------
# Images used by COPY --from and RUN --mount (parse_image_lines)
# --------------------------------------------------------------------------------------


def uses(text: str, build_args: dict[str, str] | None = None) -> list[tuple[object, ...]]:
    """(line, instruction, original, resolved, kind) of every entry of parse_image_lines."""
    return [
        (f.line, f.instruction, f.original, f.resolved, f.kind)
        for f in parse_image_lines(text, build_args)
    ]


IMAGE_USE_CASES: list[tuple[str, str, dict[str, str] | None, list[tuple[object, ...]]]] = [
    ("copy-from-image", df("FROM python:3.12-slim", "COPY --from=ghcr.io/astral-sh/uv:0.4.15 /uv /bin/"),
     None, [
        (1, "FROM", "python:3.12-slim", "python:3.12-slim", "image"),
        (2, "COPY --from", "ghcr.io/astral-sh/uv:0.4.15", "ghcr.io/astral-sh/uv:0.4.15", "image"),
    ]),
    ("copy-from-stage-name-and-index-are-not-images",
     df("FROM golang:1.23 AS Build", "FROM alpine", "COPY --from=build /a /a",
        "COPY --from=BUILD /b /b", "COPY --from=0 /c /c"),
     None, [
        (1, "FROM", "golang:1.23", "golang:1.23", "image"),
        (2, "FROM", "alpine", "alpine", "image"),
    ]),
    # BuildKit knows every stage before it runs one: a later stage's name is a stage too.
    ("copy-from-a-later-stage", df("FROM alpine AS a", "COPY --from=b /x /x", "FROM busybox AS b"),
     None, [
        (1, "FROM", "alpine", "alpine", "image"),
        (3, "FROM", "busybox", "busybox", "image"),
    ]),
    ("copy-with-other-flags-and-quotes",
     df("FROM alpine", 'COPY --link --chown=1:1 --from="nginx:1.27" /etc/nginx /n'), None, [
        (1, "FROM", "alpine", "alpine", "image"),
        (2, "COPY --from", "nginx:1.27", "nginx:1.27", "image"),
    ]),
    ("copy-from-arg", df("ARG UV=0.4.15", "FROM alpine", "COPY --from=ghcr.io/astral-sh/uv:$UV / /"),
     None, [
        (2, "FROM", "alpine", "alpine", "image"),
        (3, "COPY --from", "ghcr.io/astral-sh/uv:$UV", "ghcr.io/astral-sh/uv:0.4.15", "image"),
    ]),
    ("copy-from-unresolved", df("FROM alpine", "COPY --from=img:$TAG / /"), None, [
        (1, "FROM", "alpine", "alpine", "image"),
        (2, "COPY --from", "img:$TAG", None, "image"),
    ]),
    ("run-mount-bind-and-cache-from-image",
     df("FROM alpine", "RUN --mount=type=bind,from=busybox:1.36,source=/bin,target=/b true",
        "RUN --mount=type=cache,target=/c,from=node:24 true",
        "RUN --mount=from=debian:bookworm,target=/d true"), None, [
        (1, "FROM", "alpine", "alpine", "image"),
        (2, "RUN --mount", "busybox:1.36", "busybox:1.36", "image"),
        (3, "RUN --mount", "node:24", "node:24", "image"),
        (4, "RUN --mount", "debian:bookworm", "debian:bookworm", "image"),
    ]),
    ("run-mount-from-stage-secret-tmpfs-are-not-images",
     df("FROM golang:1.23 AS deps", "FROM alpine",
        "RUN --mount=type=bind,from=deps,target=/go true",
        "RUN --mount=type=secret,id=x,from=evil true",
        "RUN --mount=type=tmpfs,target=/t true",
        "RUN --mount=type=cache,target=/root/.cache true"), None, [
        (1, "FROM", "golang:1.23", "golang:1.23", "image"),
        (2, "FROM", "alpine", "alpine", "image"),
    ]),
    ("two-mounts-on-one-run",
     df("FROM alpine", "RUN --mount=from=busybox:1.36,target=/a \\",
        "    --mount=type=bind,from=alpine:3.20,target=/b true"), None, [
        (1, "FROM", "alpine", "alpine", "image"),
        (2, "RUN --mount", "busybox:1.36", "busybox:1.36", "image"),
        (2, "RUN --mount", "alpine:3.20", "alpine:3.20", "image"),
    ]),
    # Not uses: ONBUILD triggers, heredoc bodies, flags after the command, before any FROM.
    ("not-uses", df("FROM alpine", "ONBUILD COPY --from=nginx:1 / /", "RUN <<EOF",
                    "COPY --from=evil:1 / /", "EOF", "RUN echo --from=x:1",
                    "COPY a --from=y:1 /dst"), None, [
        (1, "FROM", "alpine", "alpine", "image"),
    ]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "build_args", "expected"),
    [case[1:] for case in IMAGE_USE_CASES],
    ids=[case[0] for case in IMAGE_USE_CASES],
)
def test_images_used_by_copy_and_run_mount(
    text: str, build_args: dict[str, str] | None, expected: list[tuple[object, ...]]
) -> None:
    assert uses(text, build_args) == expected
    # parse_from_lines still gives only the FROM lines.
    assert [f.line for f in parse_from_lines(text, build_args)] == [
        entry[0] for entry in expected if entry[1] == "FROM"
    ]
