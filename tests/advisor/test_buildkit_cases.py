"""Test cases ported from BuildKit (github.com/moby/buildkit), the Dockerfile frontend ``docker build`` runs.

Each table names the file and commit it comes from. Only what our parser claims is ported
(where its FROM lines and their images are, which lines are heredoc bodies, which heredoc
names a line opens, which images COPY --from / RUN --mount use); BuildKit's checks we do not
make (mismatched heredoc quotes, circular stage dependencies, content of bodies) are left out.
Where we deliberately differ (an unset variable in FROM is reported, not replaced by ""),
the case asserts our documented answer and says so.
"""

from __future__ import annotations

import pytest

from hub_mcp.advisor.dockerfile import (
    _heredocs,
    _mount_source,
    _Scanner,
    parse_from_lines,
    parse_image_lines,
)

# --------------------------------------------------------------------------------------
# frontend/dockerfile/parser/parser_heredoc_test.go, commit 4518627f4faad6d5ee048fc243eb5e573068b851
# --------------------------------------------------------------------------------------

# TestParseExtractsHeredoc: the Dockerfile, and the instructions BuildKit finds in it
# (its ``tests`` table lists one entry per child after FROM, with the heredoc names).
EXTRACTS_HEREDOC = """
FROM alpine:3.6

ENV NAME=me

RUN ls

USER <<INVALID
INVALID

RUN <<EMPTY
EMPTY

RUN 3<<EMPTY2
EMPTY2

RUN "<<NOHEREDOC"

RUN <<INDENT
\tfoo
\tbar
INDENT

RUN <<-UNINDENT
\tbaz
\tquux
UNINDENT

RUN <<-UNINDENT2
\tbaz
\tquux
\tUNINDENT2

RUN <<-EXPAND
\texpand $NAME
EXPAND

RUN <<-'NOEXPAND'
\tdon't expand $NAME
NOEXPAND

RUN <<COPY
echo hello world
echo foo bar
COPY

RUN <<COMMENT
# internal comment
echo hello world
echo foo bar # trailing comment
COMMENT

RUN --mount=type=cache,target=/foo <<MOUNT
echo hello
MOUNT

COPY <<FILE1 <<FILE2 /dest
content 1
FILE1
content 2
FILE2

COPY <<X <<Y /dest
Y
X
X
Y
\t"""

EXTRACTS_HEREDOC_CHILDREN: list[tuple[str, list[str]]] = [
    ("from", []),
    ("env", []),
    ("run", []),
    ("user", []),  # USER cannot open a heredoc ...
    ("invalid", []),  # ... so its "body" is an instruction
    ("run", ["EMPTY"]),
    ("run", ["EMPTY2"]),
    ("run", []),  # RUN "<<NOHEREDOC"
    ("run", ["INDENT"]),
    ("run", ["UNINDENT"]),
    ("run", ["UNINDENT2"]),
    ("run", ["EXPAND"]),
    ("run", ["NOEXPAND"]),
    ("run", ["COPY"]),
    ("run", ["COMMENT"]),
    ("run", ["MOUNT"]),
    ("copy", ["FILE1", "FILE2"]),
    ("copy", ["X", "Y"]),
]


def instructions(text: str) -> list[tuple[str, list[str]]]:
    scanner = _Scanner(text)
    found = []
    for instruction in scanner.instructions():
        line = f"{instruction.command} {instruction.rest}"
        names = [h.name for h in _heredocs(line)] if instruction.command in ("run", "copy") else []
        found.append((instruction.command, names))
    return found


def test_parse_extracts_heredoc() -> None:
    assert instructions(EXTRACTS_HEREDOC) == EXTRACTS_HEREDOC_CHILDREN
    assert [(f.line, f.resolved) for f in parse_from_lines(EXTRACTS_HEREDOC)] == [(2, "alpine:3.6")]


# TestParseJSONHeredoc: no heredoc in JSON form, so the next lines are instructions.
def test_parse_json_heredoc() -> None:
    text = 'FROM alpine:3.6\n\nRUN ["whoami"]\nRUN ["<<EOF"]\nRUN ["<<\'EOF\'"]\nFROM busybox\n'
    assert [f.resolved for f in parse_from_lines(text)] == ["alpine:3.6", "busybox"]


# TestParseHeredocHelpers (validHeredocs, notHeredocs), as words after RUN.
@pytest.mark.parametrize("word", ["<<EOF", "<<'EOF'", '<<"EOF"', "<<-EOF", "<<-'EOF'", '<<-"EOF"'])
def test_parse_heredoc_helpers_valid(word: str) -> None:
    assert [h.name for h in _heredocs(f"RUN {word}")] == ["EOF"]
    assert [h.chomp for h in _heredocs(f"RUN {word}")] == [word.startswith("<<-")]


@pytest.mark.parametrize("word", ["", "EOF", "<<", "<<-", "<EOF", "<<<EOF"])
def test_parse_heredoc_helpers_not_heredocs(word: str) -> None:
    assert _heredocs(f"RUN {word}") == []


# TestHeredocsFromLine (all seven cases), plus the blank-after-operator forms of BuildKit's
# lexer (processPossibleHeredoc keeps the blanks after "<<" in the word).
HEREDOCS_FROM_LINE: list[tuple[str, list[str]]] = [
    ("RUN <<EOF", ["EOF"]),
    ("RUN <<-EOF", ["EOF"]),
    ("RUN <<'EOF'", ["EOF"]),
    ("RUN 4<<EOF", ["EOF"]),
    ("RUN <<EOF <<EOF2", ["EOF", "EOF2"]),
    ("RUN '<<EOF'", []),
    ('RUN "<<EOF"', []),
    # not in that commit's table:
    ("RUN << EOF", ["EOF"]),
    ("RUN <<- EOF", ["EOF"]),
    ("RUN << -EOF", ["-EOF"]),
]


@pytest.mark.parametrize(("line", "names"), HEREDOCS_FROM_LINE)
def test_heredocs_from_line(line: str, names: list[str]) -> None:
    assert [h.name for h in _heredocs(line)] == names


# --------------------------------------------------------------------------------------
# frontend/dockerfile/dockerfile2llb/convert_test.go, commit 01b3b46b9cf95bdc4d060f0ae9d3598989610296
# --------------------------------------------------------------------------------------


def entries(text: str) -> list[tuple[object, ...]]:
    return [(f.line, f.instruction, f.resolved, f.kind, f.stage_ref) for f in parse_image_lines(text)]


CONVERT_CASES: list[tuple[str, str, list[tuple[object, ...]]]] = [
    # TestDockerfileParsing: COPY --from a stage name and a stage index use no image.
    ("parsing-copy-from-stage",
     "FROM scratch AS foo\nENV FOO bar\nFROM foo\nCOPY --from=foo f1 /\nCOPY --from=0 f2 /\n\t", [
        (1, "FROM", "scratch", "scratch", None),
        (3, "FROM", "foo", "stage", "foo"),
    ]),
    ("parsing-scratch", "FROM scratch\nENV FOO bar\nCOPY f1 f2 /sub/\nRUN ls -l\n", [
        (1, "FROM", "scratch", "scratch", None),
    ]),
    # TestDockerfileCircularDependencies: BuildKit rejects these builds; for us every
    # --from names a stage (even a later one), so none is an image.
    ("circular-single", "FROM busybox AS stage0\nCOPY --from=stage0 f1 /sub/\n", [
        (1, "FROM", "busybox", "image", None),
    ]),
    ("circular-multiple",
     "FROM busybox AS stage0\nCOPY --from=stage2 f1 /sub/\nFROM busybox AS stage1\n"
     "COPY --from=stage0 f2 /sub/\nFROM busybox AS stage2\nCOPY --from=stage1 f2 /sub/\n", [
        (1, "FROM", "busybox", "image", None),
        (3, "FROM", "busybox", "image", None),
        (5, "FROM", "busybox", "image", None),
    ]),
    # TestBaseImageConfig: "the source image of bar is busybox, not foo".
    ("base-image-config",
     "FROM --platform=linux/amd64 busybox:1.36.1@sha256:"
     "6d9ac9237a84afe1516540f40a0fafdc86859b2141954b4d643af7066d598b74 AS foo\nRUN echo foo\n\n"
     "# the source image of bar is busybox, not foo\nFROM foo AS bar\nRUN echo bar\n", [
        (1, "FROM", "busybox:1.36.1@sha256:"
         "6d9ac9237a84afe1516540f40a0fafdc86859b2141954b4d643af7066d598b74", "image", None),
        (5, "FROM", "foo", "stage", "foo"),
    ]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"), [c[1:] for c in CONVERT_CASES], ids=[c[0] for c in CONVERT_CASES]
)
def test_convert_cases(text: str, expected: list[tuple[object, ...]]) -> None:
    assert entries(text) == expected


def test_base_image_config_platform() -> None:
    line = parse_from_lines(CONVERT_CASES[-1][1])[0]
    assert (line.platform, line.platform_resolved, line.stage) == ("linux/amd64", "linux/amd64", "foo")


def test_parsing_empty_image_names() -> None:
    # TestDockerfileParsing: BuildKit rejects both. `FROM ""` is an error here too; for
    # `FROM ${BLANK}` we report the variable without a value instead (documented difference).
    with pytest.raises(ValueError, match="empty name"):
        parse_from_lines('FROM "" AS foo')
    line = parse_from_lines("FROM ${BLANK} AS foo")[0]
    assert (line.resolved, line.unresolved) == (None, ("BLANK",))


# TestAutomounts: the mount specs, read as RUN --mount values.
@pytest.mark.parametrize(
    ("spec", "image"),
    [
        ("type=bind,source=/src,target=/mnt/src", None),
        ("type=cache,target=/cache", None),
        ("type=tmpfs,target=/tmp/data", None),
        ("type=bind,from=alpine:latest,source=/src,target=/mnt/src", "alpine:latest"),
        ("type=bind,from=stage1,source=/src,target=/mnt/src", "stage1"),  # a stage once resolved
        ("invalid-mount-spec", None),
    ],
)
def test_automount_specs(spec: str, image: str | None) -> None:
    assert _mount_source(spec) == image
    found = [f.resolved for f in parse_image_lines(f"FROM scratch AS stage1\nRUN --mount={spec} true\n")]
    assert found == ["scratch"] + ([image] if image and image != "stage1" else [])


# --------------------------------------------------------------------------------------
# frontend/dockerfile/dockerfile_args_test.go, commit f6b91b2d80364c7f868e33fb43378c6c9337df23
# (integration tests; the Unix Dockerfiles, with the images their FROM/COPY lines resolve to)
# --------------------------------------------------------------------------------------

ARGS_CASES: list[tuple[str, str, dict[str, str] | None, list[tuple[object, ...]]]] = [
    # testGlobalArg: a global ARG's default, replaced by a build arg.
    ("global-arg-default", "\nARG tag=nosuchtag\nFROM busybox:${tag}\n", None,
     [(3, "FROM", "busybox:nosuchtag", "image", None)]),
    ("global-arg-build-arg", "\nARG tag=nosuchtag\nFROM busybox:${tag}\n", {"tag": "latest"},
     [(3, "FROM", "busybox:latest", "image", None)]),
    # testGlobalArgErrors: Docker stops at ${FOO:?...} without FOO; the FROM image does not use
    # FOO, so for us the line resolves either way (we report, we never stop).
    ("global-arg-required", '\nARG FOO=${FOO:?"custom error"}\nFROM busybox\n', None,
     [(3, "FROM", "busybox", "image", None)]),
    ("global-arg-required-given", '\nARG FOO=${FOO:?"custom error"}\nFROM busybox\n', {"FOO": "bar"},
     [(3, "FROM", "busybox", "image", None)]),
    # testMultiArgs: several ARGs on a line, quoted defaults, one built from another.
    ("multi-args",
     '\nARG a1="foo bar" a2=box\nARG a3="$a2-foo"\nFROM busy$a2 AS build\nARG a3 a4="123 456" a1\n'
     'RUN echo -n "$a1:$a3:$a4" > /out\nFROM scratch\nCOPY --from=build /out .\n', None,
     [(4, "FROM", "busybox", "image", None), (7, "FROM", "scratch", "scratch", None)]),
    # testQuotedMetaArgs
    ("quoted-meta-args",
     '\nARG a1="box"\nARG a2="$a1-foo"\nFROM busy$a1 AS build\nARG a2\nARG a3="bar-$a2"\n'
     "RUN echo -n $a3 > /out\nFROM scratch\nCOPY --from=build /out .\n", None,
     [(4, "FROM", "busybox", "image", None), (8, "FROM", "scratch", "scratch", None)]),
    # testTargetStageNameArg: COPY --from a stage, twice.
    ("target-stage-name-arg",
     '\nFROM alpine AS base\nWORKDIR /out\nRUN echo -n "value:$TARGETSTAGE" > /out/first\n'
     'ARG TARGETSTAGE\nRUN echo -n "value:$TARGETSTAGE" > /out/second\n\nFROM scratch AS foo\n'
     "COPY --from=base /out/ /\n\nFROM scratch\nCOPY --from=base /out/ /\n", None,
     [(2, "FROM", "alpine", "image", None), (8, "FROM", "scratch", "scratch", None),
      (11, "FROM", "scratch", "scratch", None)]),
    # testBuiltinArgs: ARGs inside a stage do not reach FROM.
    ("builtin-args",
     "\nFROM busybox AS build\nARG FOO\nARG BAR\nARG BAZ=bazcontent\n"
     "RUN echo -n $HTTP_PROXY::$NO_PROXY::$FOO::$BAR::$BAZ > /out\nFROM scratch\nCOPY --from=build /out /\n\n",
     {"FOO": "foocontents", "http_proxy": "hpvalue", "NO_PROXY": "npvalue"},
     [(2, "FROM", "busybox", "image", None), (7, "FROM", "scratch", "scratch", None)]),
    # testDefaultEnvWithArgs: a prefix-trimming operator in FROM.
    ("default-env-with-args",
     '\nARG image=idlebox\nFROM busy${image#idle} AS build\nARG my_arg\nENV my_arg "my_arg=${my_arg:-def_val}"\n'
     'ENV my_trimmed_arg "${my_arg%%e*}"\nCOPY myscript.sh myscript.sh\nRUN ./myscript.sh $my_arg $my_trimmed_arg\n'
     "FROM scratch\nCOPY --from=build /out /out\n", None,
     [(3, "FROM", "busybox", "image", None), (9, "FROM", "scratch", "scratch", None)]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "build_args", "expected"), [c[1:] for c in ARGS_CASES], ids=[c[0] for c in ARGS_CASES]
)
def test_args_cases(text: str, build_args: dict[str, str] | None, expected: list[tuple[object, ...]]) -> None:
    assert [
        (f.line, f.instruction, f.resolved, f.kind, f.stage_ref) for f in parse_image_lines(text, build_args)
    ] == expected


# --------------------------------------------------------------------------------------
# frontend/dockerfile/dockerfile_platform_test.go, commit 2939b5b2fe9a01e1dce606b2fad6d0047a0682e4
# (the Unix Dockerfiles; runtime.GOOS is "linux"; the test registry's host is a stand-in)
# --------------------------------------------------------------------------------------


def test_platform_args_implicit() -> None:
    # testPlatformArgsImplicit: FROM build-${TARGETOS} names the stage build-linux on Linux.
    text = "\nFROM scratch AS build-linux\nCOPY foo bar\nFROM build-${TARGETOS}\nCOPY foo2 bar2\n"
    without = parse_from_lines(text)[1]
    assert (without.resolved, without.unresolved, without.kind) == (None, ("TARGETOS",), "image")
    given = parse_from_lines(text, {"TARGETOS": "linux"})[1]
    assert (given.resolved, given.kind, given.stage_ref) == ("build-linux", "stage", "build-linux")


def test_platform_args_explicit() -> None:
    # testPlatformArgsExplicit: FROM --platform=$BUILDPLATFORM, built with platform darwin/ppc64le
    # and build-arg TARGETOS=freebsd; ARGs inside the stage do not change the FROM lines.
    text = (
        "\nFROM --platform=$BUILDPLATFORM busybox AS build\nARG TARGETPLATFORM\nARG TARGETOS\n"
        "RUN mkdir /out && echo -n $TARGETPLATFORM > /out/platform && echo -n $TARGETOS > /out/os\n"
        "FROM scratch\nCOPY --from=build out .\n"
    )
    lines = parse_image_lines(text, {"TARGETOS": "freebsd"})
    assert [(f.line, f.resolved, f.kind) for f in lines] == [(2, "busybox", "image"), (6, "scratch", "scratch")]
    assert (lines[0].platform, lines[0].platform_resolved, lines[0].platform_unresolved) == (
        "$BUILDPLATFORM",
        None,
        ("BUILDPLATFORM",),
    )
    given = parse_from_lines(text, {"BUILDPLATFORM": "darwin/ppc64le"})[0]
    assert given.platform_resolved == "darwin/ppc64le"


def test_platform_with_os_version_and_maintain_base_os_version() -> None:
    # testPlatformWithOSVersion and testMaintainBaseOSVersion: heredoc bodies holding
    # ${TARGETOSVERSION} / ${TARGETPLATFORM} are skipped; the FROM lines are the images.
    target = "registry.test:5000/buildkit/testplatformwithosversion:latest"
    text = (
        f"\nFROM {target} AS reg\n\nFROM scratch AS base\nARG TARGETOSVERSION\nCOPY <<EOF /osversion\n"
        "${TARGETOSVERSION}\nEOF\nARG TARGETPLATFORM\nCOPY <<EOF /targetplatform\n${TARGETPLATFORM}\nEOF\n"
    )
    assert [(f.line, f.resolved, f.kind) for f in parse_image_lines(text)] == [
        (2, target, "image"),
        (4, "scratch", "scratch"),
    ]
    text = "\nFROM scratch\nARG TARGETPLATFORM\nCOPY <<EOF /platform\n${TARGETPLATFORM}\nEOF\n"
    assert [(f.line, f.resolved) for f in parse_image_lines(text)] == [(2, "scratch")]
