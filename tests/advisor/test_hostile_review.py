"""The review under a hostile Dockerfile (issue 17): it shares the event loop, stops at its deadline,
reads a bounded number of lines at a cost linear in the text, and never echoes a huge input.

No test here measures time: progress is counted in steps of a concurrent coroutine, cost in the
Python lines the parser executes, and the deadline is one that has passed before the first pause.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from types import FrameType
from typing import Any

import pytest

import hub_mcp.advisor.dockerfile as dockerfile
from hub_mcp.advisor.dockerfile import MAX_INSTRUCTION_CHARACTERS, MAX_NESTING, parse_image_lines
from hub_mcp.advisor.requests import ReviewRequest
from hub_mcp.advisor.review import MAX_FROM_LINES, MAX_IMAGE_LINES, Reviewer
from hub_mcp.errors import InvalidInput
from tests.advisor.test_review import TODAY, StubAdvisor, StubServices, review

#: The issue's file: 10,000 FROM lines (170 KB, under the tool's 200,000-character cap).
TEN_THOUSAND_FROMS = "FROM python:3.8\n" * 10_000


# --------------------------------------------------------------------------------------
# The event loop stays free, and the deadline stops CPU work
# --------------------------------------------------------------------------------------


async def test_a_concurrent_coroutine_makes_progress_while_10000_from_lines_are_reviewed() -> None:
    """Before, the file was parsed in one go and each of its 10,000 lines reviewed as its own task:
    a concurrent get_tag waited for all of it (136 s over HTTP in the issue)."""
    ticks = 0
    services = StubServices()
    reviewing = asyncio.ensure_future(review(TEN_THOUSAND_FROMS, services=services))
    while not reviewing.done():
        ticks += 1
        await asyncio.sleep(0)
    result = reviewing.result()
    assert ticks >= 30  # the parse alone pauses about every SLICE_STEPS characters: 170,000 / 4,000
    assert set(services.asked) == {("python", "3.8")}
    assert len(services.asked) <= 2  # one image, checked once for all its lines (before: for each of 10,000)
    assert len(result.from_lines) == MAX_IMAGE_LINES
    assert {r.verdict for r in result.from_lines} == {"fail"}


async def test_the_deadline_stops_the_parse_at_its_first_pause(monkeypatch: pytest.MonkeyPatch) -> None:
    """A deadline already due fires at the parse's first pause; before, the whole file was parsed
    (10,000 FROM lines) before the deadline could be seen."""
    parsed = 0
    real = dockerfile._parse_from

    def counting(*args: Any, **kwargs: Any) -> Any:
        nonlocal parsed
        parsed += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(dockerfile, "_parse_from", counting)
    reviewer = Reviewer(StubServices(), StubAdvisor(), TODAY)  # type: ignore[arg-type]
    request = ReviewRequest(dockerfile="".join(f"FROM python:3.{i}\n" for i in range(10_000)))
    with pytest.raises(TimeoutError):
        async with asyncio.timeout(0):
            await reviewer.review(request)
    assert 0 < parsed < 1_000


# --------------------------------------------------------------------------------------
# Bounds: what is read, and what the answer says was left out
# --------------------------------------------------------------------------------------


async def test_lines_past_the_bound_are_counted_in_a_note_not_read() -> None:
    text = "FROM alpine:3.20 AS base\n" + "".join(
        f"FROM base AS s{i}\nCOPY --from=busybox:1.36 /a /b\n" for i in range(300)
    )
    result = await review(text)
    assert len(result.from_lines) == MAX_IMAGE_LINES
    note = next(n for n in result.notes or [] if "image lines" in n)
    # 1 + 300 FROM lines and 300 COPY sources; the first 200 entries are FROM base, then pairs
    read_from = 1 + (MAX_IMAGE_LINES - 1 + 1) // 2
    assert f"Only the first {MAX_IMAGE_LINES} image lines" in note
    assert f"{301 - read_from} more FROM line(s)" in note
    assert "COPY --from / RUN --mount source(s)" in note
    assert f"from line {result.from_lines[-1].line + 1} on" in note


async def test_a_stage_named_after_the_bound_is_still_a_stage() -> None:
    """A --from may name a stage defined later in the file: counted FROM lines still define stages."""
    text = "FROM alpine:3.20 AS base\nCOPY --from=late /a /b\n" + "FROM base\n" * MAX_IMAGE_LINES + "FROM base AS late\n"
    result = await review(text)
    assert all(r.instruction is None for r in result.from_lines)  # 'late' is a stage, not an image


async def test_a_later_line_of_the_same_image_points_at_the_first_instead_of_repeating_it() -> None:
    """Issue 17: 200 FROM lines of five images gave an 85,000-character answer (about 25k tokens), each
    line repeating its image's findings. A later line naming the same image (same purpose) now says
    ``same_as`` the first line, with its own line, stage and verdict."""
    text = "".join(f"FROM alpine:3.20 AS s{n}\n" for n in range(30)) + "FROM scratch\n"
    result = await review(text)
    first, *later = result.from_lines[:30]
    assert first.findings and first.same_as is None
    assert all(r.same_as == 1 and r.findings is None and r.verdict == first.verdict for r in later)
    assert [r.stage for r in later] == [f"s{n}" for n in range(1, 30)]
    alone = (await review("FROM alpine:3.20 AS s0\nFROM scratch\n")).from_lines[0]
    assert len(result.model_dump_json(exclude_none=True)) < len(alone.model_dump_json(exclude_none=True)) * 10


async def test_lines_naming_one_image_share_one_check_and_keep_their_own_fields() -> None:
    services = StubServices()
    text = "FROM alpine:3.20 AS one\nFROM docker.io/library/alpine:3.20 AS two\nCOPY --from=alpine:3.20 /a /b\n"
    result = await review(text, services=services)
    assert set(services.asked) == {("alpine", "3.20")}
    assert len(services.asked) <= 2  # one check for the three lines
    first, second, third = result.from_lines
    assert (first.line, first.stage, first.original) == (1, "one", "alpine:3.20")
    assert (second.line, second.stage, second.resolved) == (2, "two", "docker.io/library/alpine:3.20")
    assert (third.line, third.instruction, third.stage) == (3, "COPY --from", None)
    assert first.findings == second.findings and first.verdict == second.verdict
    assert first.instruction is None and second.instruction is None


async def test_the_distinct_image_cap_still_applies() -> None:
    services = StubServices()
    await review("".join(f"FROM busybox:1.{i}\n" for i in range(MAX_FROM_LINES + 5)), services=services)
    assert len(services.asked) == MAX_FROM_LINES


# --------------------------------------------------------------------------------------
# Nesting and length bounds: one clear sentence, never an internal error
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [30_000, 10_000, MAX_NESTING + 1])
@pytest.mark.parametrize("where", ["FROM {}\n", "ARG A={}\nFROM python:$A\n", 'FROM "{}"\n'])
async def test_deeply_nested_expansions_get_one_sentence_naming_a_limit(depth: int, where: str) -> None:
    """Before: RecursionError, which the server answers with "internal error ... Check the arguments".
    30,000 levels (180,000 characters) are over the per-instruction bound; 10,000 are under it."""
    text = where.format("${X:-" * depth + "python" + "}" * depth)
    with pytest.raises(InvalidInput) as caught:
        await review(text)
    message = str(caught.value)
    if len(text) > MAX_INSTRUCTION_CHARACTERS:
        assert f"over the {MAX_INSTRUCTION_CHARACTERS:,} read per instruction" in message
    else:
        assert f"nested more than {MAX_NESTING} deep" in message
    assert len(message) < 500
    assert message.rstrip(".").count(". ") == 0  # one sentence


def test_nesting_up_to_the_limit_is_read() -> None:
    depth = MAX_NESTING - 1  # the double quotes below add one level
    image = '"' + "${X:-" * depth + "python:3.12" + "}" * depth + '"'
    assert parse_image_lines(f"FROM {image}\n")[0].resolved == "python:3.12"


async def test_an_instruction_over_the_length_bound_is_refused_in_one_sentence() -> None:
    with pytest.raises(InvalidInput) as caught:
        await review("FROM " + "a" * 180_000)
    message = str(caught.value)
    assert f"{MAX_INSTRUCTION_CHARACTERS:,} read per instruction" in message and len(message) < 400


@pytest.mark.parametrize("flags", ["", "--mount=type=cache,target=/root/.cache "])
def test_a_long_run_script_is_not_bounded_when_only_its_flags_are_read(flags: str) -> None:
    script = "echo " + "a" * (MAX_INSTRUCTION_CHARACTERS + 10)
    text = f"FROM alpine:3.20\nRUN {flags}{script}\nCOPY --from=busybox:1.36 /a /b\n"
    assert [line.resolved for line in parse_image_lines(text)] == ["alpine:3.20", "busybox:1.36"]


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("RUN --mount=" + "a" * MAX_INSTRUCTION_CHARACTERS + " echo", "flags of this RUN instruction run past"),
        ("RUN --mount=type=cache,target=/x <<EOF " + "a" * MAX_INSTRUCTION_CHARACTERS + "\nEOF", "RUN instruction is"),
        ("ONBUILD RUN <<EOF " + "a" * MAX_INSTRUCTION_CHARACTERS + "\nEOF", "ONBUILD instruction is"),
    ],
)
def test_what_must_be_read_word_by_word_is_bounded(line: str, words: str) -> None:
    """Flags, and a line that may open a heredoc (its words decide where the next instruction starts)."""
    with pytest.raises(ValueError, match=words) as caught:
        parse_image_lines(f"FROM alpine:3.20\n{line}\n")
    assert len(str(caught.value)) < 400


# --------------------------------------------------------------------------------------
# Inputs are quoted by a short prefix, never echoed whole
# --------------------------------------------------------------------------------------

LONG = "a" * 60_000  # under the per-instruction bound: it reaches every message that quotes a word


@pytest.mark.parametrize(
    "text",
    [
        f"FROM a b {LONG}\n",  # the FROM's words
        f"FROM python:3.12 AS -{LONG}\n",  # an invalid stage name
        f"ARG ={LONG}\nFROM x\n",  # an ARG without a name
        f"# escape={LONG}\nFROM x\n",  # a directive
        f"FROM x\nRUN <<{LONG}\n",  # a heredoc never closed
        f"FROM ${{X/{LONG}}}\n",  # a pattern
        f"FROM ${{X#\\{LONG}}}\n",  # an invalid escape in a pattern
        f"FROM ${{{LONG}!}}\n",  # an unsupported modifier
    ],
)
def test_parser_errors_quote_a_short_prefix(text: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_image_lines(text)
    assert len(str(caught.value)) < 600, str(caught.value)[:300]


@pytest.mark.parametrize(
    "text",
    [
        f"FROM {LONG}\n",  # not a valid reference (too long)
        f"FROM python:{LONG}\n",  # an invalid tag
        f"FROM python:3.12 AS s{LONG}\n",  # a long stage name: the field is cut
        f"FROM ${LONG}\n",  # an unresolved variable with a long name
        "FROM " + "".join(f"$a{i}" for i in range(10_000)) + "\n",  # 10,000 unresolved variables
        f"FROM --platform=linux/{LONG} python:3.12\n",  # a platform Docker cannot pull
    ],
)
async def test_review_answers_quote_a_short_prefix(text: str) -> None:
    result = await review(text)
    assert len(result.model_dump_json()) < 3_000


# --------------------------------------------------------------------------------------
# The parse's cost grows linearly with the text
# --------------------------------------------------------------------------------------


def executed_lines(call: Callable[[], object]) -> int:
    """Python lines of advisor/dockerfile.py executed by ``call``: a count of work, not a time."""
    count = 0
    target = dockerfile.__file__

    def local(frame: FrameType, event: str, arg: object) -> Any:
        nonlocal count
        if event == "line":
            count += 1
        return local

    def tracer(frame: FrameType, event: str, arg: object) -> Any:
        return local if frame.f_code.co_filename == target else None

    sys.settrace(tracer)
    try:
        call()
    finally:
        sys.settrace(None)
    return count


SHAPES: dict[str, Callable[[int], str]] = {
    "FROM lines": lambda n: "".join(f"FROM python:3.{i} AS s{i}\n" for i in range(n)),
    "stage references": lambda n: "FROM alpine AS s0\n" + "".join(f"FROM s{i} AS s{i + 1}\n" for i in range(n)),
    "unresolved variables": lambda n: "FROM " + "".join(f"$a{i}" for i in range(n)) + "\n",
    "global ARGs": lambda n: "ARG A0=x\n" + "".join(f"ARG A{i + 1}=${{A{i}:+y}}\n" for i in range(n)) + "FROM $A1\n",
    "continuation lines": lambda n: "FROM x\nRUN a \\\n" + "b \\\n" * n + "c\n",
    "heredoc words": lambda n: "FROM x\nRUN " + "<<A " * n + "\n" + "A\n" * n,
    "COPY sources": lambda n: "FROM x AS b\n" + "COPY --from=b /a /b\n" * n,
}


@pytest.mark.parametrize("shape", list(SHAPES))
def test_parse_work_grows_linearly(shape: str) -> None:
    """Ten times the text costs about ten times the work (before, unresolved variables cost the
    square: each merge copied every name seen so far)."""
    make = SHAPES[shape]
    small = executed_lines(lambda: parse_image_lines(make(200)))
    large = executed_lines(lambda: parse_image_lines(make(2_000)))
    assert large <= 11 * small, (small, large)
