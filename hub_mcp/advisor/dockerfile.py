"""Find the base images of a Dockerfile: its FROM lines, with global ARG substitution.

Pure functions over the Dockerfile text (no I/O, no ``mcp``, no ``httpx``). Used by the
base-image review tool (the same ground as hadolint's DL3006/DL3007 and Docker Scout's base
image recommendations): ``parse_from_lines`` returns one ``FromLine`` per ``FROM``
instruction, in order, saying what the line refers to (an image, ``scratch`` or an earlier
build stage) and what the image name is once the global build arguments are substituted.

Semantics follow BuildKit's Dockerfile frontend (what ``docker build`` runs), file by file:
``parser/parser.go`` (lines, directives, continuations, heredocs), ``parser/split_command.go``
(flags), ``instructions/parse.go`` (FROM and ARG), ``shell/lex.go`` (substitution) and
``dockerfile2llb/convert.go`` (global ARGs, stage references).

Lines
-----
* Parser directives (``# syntax=...``, ``# escape=...``, ``# check=...``) are only read at
  the very top: the first line that is not a directive (a blank line, another comment, an
  instruction) ends them. ``escape`` may be ``\\`` (default) or a backtick; ``syntax`` and
  ``check`` are ignored. A repeated directive or another escape character is an error, as in
  Docker.
* Instructions are case-insensitive. A line ending with the escape character (optionally
  followed by spaces or tabs) continues on the next line; an escaped escape character
  (``\\\\``) at the end does not. Comment lines (``#`` after optional whitespace) and blank
  lines inside a continuation are skipped. A ``#`` elsewhere is not a comment.
* ``RUN``/``COPY``/``ADD`` (also behind ``ONBUILD``) in shell form may open heredocs
  (``<<EOF``, ``<<-EOF``, ``<<"EOF"``, ``2<<EOF``); their bodies are skipped up to the line
  that is exactly the delimiter (``<<-`` also strips leading tabs from that line), so a
  ``FROM`` inside a body is never taken for an instruction. Like BuildKit, ``<<`` counts only
  at the start of a whitespace-separated word (``cat<<EOF`` is not a heredoc) and never in
  JSON form. BuildKit's lexer keeps the blanks after ``<<`` in the word, so ``<< EOF`` is a
  heredoc named ``EOF`` and ``<< -EOF`` one named ``-EOF``; ``<<- EOF`` is read as a chomping
  heredoc named ``EOF`` too (were it not one, its body would be parsed as instructions).

FROM
----
``FROM [--platform=<platform>] <image> [AS <name>]``. ``--platform <platform>`` (a space
instead of ``=``) is accepted too although Docker rejects it; other flags are ignored. The
platform is substituted like the image (``--platform=linux/${ARCH}``); an automatic platform
argument (``$BUILDPLATFORM``, ``$TARGETPLATFORM``) without a build arg leaves it unresolved. Stage
names are lower-cased and must match ``[a-z][a-z0-9_.-]*`` (Docker's rule). Exactly one or
three words are allowed, so a trailing comment (``FROM alpine # base``) is an error, as in
Docker.

Images used by other instructions
---------------------------------
``parse_image_lines`` also returns the images that ``COPY --from=<image>`` and
``RUN --mount=type=bind|cache,from=<image>`` use (BuildKit pulls those too), as ``FromLine``
entries whose ``instruction`` says where they came from. A ``--from``/``from=`` that names a
stage (any stage of the file, compared case-insensitively, as BuildKit's
``findStateByName``) or a stage index (digits) is not an image and is left out; so are
``tmpfs``/``secret``/``ssh`` mounts and ``ONBUILD`` triggers (they run in another build).
Variables in these values are substituted from the global ARGs and ``build_args`` only: ``ARG``
and ``ENV`` inside a stage are not tracked. Such entries have no ``stage`` and no
``platform`` (BuildKit pulls them for the target platform).

Build arguments
---------------
* Only ``ARG`` instructions before the first ``FROM`` are global and usable in FROM lines;
  an ``ARG`` inside a stage (even one redeclaring a global name) never changes a later FROM.
* ``ARG a=1 b="2" c`` declares several; quotes and escapes in defaults are processed like a
  shell word, and a default may use earlier global ARGs. A ``build_args`` value replaces the
  default of a *declared* global ARG and is taken literally (no substitution), as Docker does;
  build args for names that are not declared before the first FROM are ignored by Docker for
  FROM lines, so they are ignored here too. Redeclaring a global ARG without a default keeps
  its earlier value.
* BuildKit's automatic platform arguments (``BUILDPLATFORM``, ``TARGETARCH``, ...) are usable
  without a declaration; their values depend on the build, so they are unknown unless
  ``build_args`` names them.

Substitution
------------
``$VAR``, ``${VAR}``, ``${VAR:-word}``, ``${VAR-word}``, ``${VAR:+word}``, ``${VAR+word}``,
``${VAR:?msg}``, ``${VAR?msg}``, ``${VAR#pat}``, ``${VAR##pat}``, ``${VAR%pat}``,
``${VAR%%pat}``, ``${VAR/pat/repl}`` and ``${VAR//pat/repl}``; single and double quotes;
the escape character makes the next character literal (``\\$X`` gives ``$X``, as in Docker).

Where Docker would silently substitute an empty string we never guess: a variable whose value
is substituted but that has no value (declared without a default and not in ``build_args``,
not declared at all, or an automatic platform argument) is listed in ``FromLine.unresolved``
and ``resolved`` is ``None``. The operator forms behave exactly as Docker does with the given
build args: ``${TAG:-latest}`` with no ``TAG`` resolves to ``latest`` and ``${V:+-$V}``
resolves to ``""``, since that is what ``docker build`` would use. The one exception is an
automatic platform argument without a value, whose emptiness is unknown: any use of it is
unresolved.

Bounds
------
Documents over 1 MiB (UTF-8) or 10,000 lines are refused, and so is what the parser must read
word by word when it is longer than 65,536 characters: a ``FROM``, a global ``ARG``, a line that
may open a heredoc (``RUN``/``COPY``/``ADD`` with ``<<``), the flags of ``COPY``/``RUN``. Substitution is bounded too, where Docker is
not: expansions nest at most 32 deep (``${A:-${B:-...}}``), one ARG default or image may expand
to at most 65,536 characters, and a whole document gets a fixed budget of produced text and of
wildcard-matching steps (matching runs as a linear-time automaton, never a backtracking regex).
Past a bound the parser raises ``ValueError`` rather than spend unbounded time or memory.

Cost and slices
---------------
Every step is linear in the text read (no re-scans, no repeated concatenation), and the work
is counted: ``image_lines_in_slices`` is a generator that pauses (yields) after every
``SLICE_STEPS`` units of work, between instructions, so that an async caller can let other
tasks run and its deadline stop the parse. ``limit`` bounds the image lines read: past it the
parser only counts the ``FROM`` lines and image sources it leaves out (``ImageLines``).
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Generator, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Literal

from hub_mcp.vocab.common import clip, quoted

__all__ = [
    "AUTOMATIC_PLATFORM_ARGS",
    "MAX_DOCKERFILE_BYTES",
    "MAX_DOCKERFILE_LINES",
    "MAX_INSTRUCTION_CHARACTERS",
    "MAX_NESTING",
    "SLICE_STEPS",
    "FromKind",
    "FromLine",
    "ImageInstruction",
    "ImageLines",
    "image_lines_in_slices",
    "parse_from_lines",
    "parse_image_lines",
]

FromKind = Literal["image", "scratch", "stage"]
#: Where an image is used: a FROM line, ``COPY --from=<image>``, ``RUN --mount=...,from=<image>``.
ImageInstruction = Literal["FROM", "COPY --from", "RUN --mount"]

#: Largest Dockerfile accepted, in UTF-8 bytes (1 MiB).
MAX_DOCKERFILE_BYTES = 1024 * 1024
#: Largest Dockerfile accepted, in lines.
MAX_DOCKERFILE_LINES = 10_000
#: Longest text read word by word: a FROM, a global ARG, a line that may open a heredoc, COPY/RUN flags.
MAX_INSTRUCTION_CHARACTERS = 65_536
#: Deepest nesting of expansions and quotes inside them (``${A:-${B:-$C}}`` is 2 deep).
MAX_NESTING = 32
#: Units of work (characters read, produced or matched) between two pauses of
#: ``image_lines_in_slices``: a few milliseconds of CPU at most.
SLICE_STEPS = 4_000
#: Longest text one substitution (an ARG default, a FROM image) may produce.
_MAX_EXPANSION = 65_536
#: Work allowed for all substitutions of one document, so that ARGs built from ARGs or
#: costly ``${V#pattern}`` operators cannot blow up time or memory: characters produced,
#: and wildcard-matching steps (far costlier each; realistic files use a few hundred; the
#: whole budget is about a tenth of a second of CPU, spent between two pauses at worst).
_CHARACTER_BUDGET = 20_000_000
_MATCHING_BUDGET = 200_000

#: Arguments BuildKit defines in the global scope without an ``ARG`` declaration.
AUTOMATIC_PLATFORM_ARGS: frozenset[str] = frozenset({
    "BUILDPLATFORM", "BUILDOS", "BUILDARCH", "BUILDVARIANT",
    "TARGETPLATFORM", "TARGETOS", "TARGETARCH", "TARGETVARIANT",
})  # fmt: skip


@dataclass(frozen=True)
class FromLine:
    """One ``FROM`` instruction.

    ``line`` is the 1-based line where the instruction starts. ``original`` is the image word
    as written (``python:${PY_VERSION}-slim``); ``resolved`` is that word after global ARG
    substitution and quote removal, or ``None`` when a variable it needs has no value (those
    variables are listed in ``unresolved``, in order of first use). ``stage`` is the
    ``AS`` name, lower-cased as Docker does. ``platform`` is the ``--platform`` value as
    written (variables such as ``$BUILDPLATFORM`` are left alone), ``None`` when absent.
    ``kind`` is ``"stage"`` when the resolved image names an earlier stage (then
    ``stage_ref`` is that stage's name), ``"scratch"`` for ``FROM scratch``, else
    ``"image"`` (also when the name is unresolved).

    ``platform_resolved`` is ``platform`` after global ARG substitution (as BuildKit expands
    it), or ``None`` when there is no ``--platform`` or a variable it needs has no value; those
    variables are in ``platform_unresolved`` (``$BUILDPLATFORM`` without a build arg, say).
    ``instruction`` is ``"FROM"``, or for ``parse_image_lines``'s other entries the instruction
    that uses the image (``original`` is then the ``--from``/``from=`` value as written).
    """

    line: int
    original: str
    resolved: str | None
    unresolved: tuple[str, ...]
    stage: str | None
    platform: str | None
    kind: FromKind
    stage_ref: str | None
    platform_resolved: str | None = None
    platform_unresolved: tuple[str, ...] = ()
    instruction: ImageInstruction = "FROM"


# --------------------------------------------------------------------------------------
# Public entry point
# --------------------------------------------------------------------------------------


def parse_from_lines(
    dockerfile: str, build_args: Mapping[str, str] | None = None
) -> list[FromLine]:
    """Return the FROM lines of ``dockerfile``, in order; ``[]`` when it has none.

    ``build_args`` are ``--build-arg`` values (they override global ARG defaults).
    Raises ``ValueError`` with one sentence (naming the line when there is one) when the
    text is not a string or is too large, when Docker itself would reject it at a FROM line,
    a global ARG, a parser directive or an unterminated heredoc, or when substituting its
    build arguments exceeds the bounds described in the module docstring.
    """
    parsed = _run(_parse(dockerfile, build_args, uses=False, limit=None))
    return [line for line in parsed.entries if line.instruction == "FROM"]


def parse_image_lines(
    dockerfile: str, build_args: Mapping[str, str] | None = None
) -> list[FromLine]:
    """The FROM lines and the images ``COPY --from`` and ``RUN --mount`` use, in file order.

    Same arguments and errors as ``parse_from_lines``; see "Images used by other
    instructions" in the module docstring for what counts as an image there.
    """
    return _run(_parse(dockerfile, build_args, uses=True, limit=None)).entries


@dataclass(frozen=True)
class ImageLines:
    """What ``image_lines_in_slices`` read: ``entries`` as ``parse_image_lines`` gives them, the
    first ``limit`` image lines only; past the limit, ``left_out_from`` FROM lines and
    ``left_out_sources`` COPY ``--from`` / RUN ``--mount`` values (some may name stages) were
    counted but not read, from line ``left_out_after`` on. ``steps`` is the work done."""

    entries: list[FromLine]
    left_out_from: int = 0
    left_out_sources: int = 0
    left_out_after: int | None = None
    steps: int = 0


def image_lines_in_slices(
    dockerfile: str, build_args: Mapping[str, str] | None = None, *, limit: int | None = None
) -> Generator[None, None, ImageLines]:
    """``parse_image_lines`` in slices: a generator that yields ``None`` after about every
    ``SLICE_STEPS`` units of work (between instructions) and returns the ``ImageLines``. Its
    caller may stop at any pause (an async caller awaits between slices, so that other tasks run
    and a deadline can cancel it). ``limit``: most FROM lines and image sources read; the rest
    are counted. Errors as ``parse_from_lines``'s, raised from the slice that meets them."""
    return _parse(dockerfile, build_args, uses=True, limit=limit)


def _run(steps: Generator[None, None, ImageLines]) -> ImageLines:
    """Every slice at once (the synchronous entry points)."""
    while True:
        try:
            next(steps)
        except StopIteration as done:
            return done.value


@dataclass(frozen=True)
class _Use:
    line: int
    instruction: ImageInstruction
    word: str  # the --from / from= value, quotes removed by the flag parser


def _parse(
    dockerfile: str, build_args: Mapping[str, str] | None, *, uses: bool, limit: int | None
) -> Generator[None, None, ImageLines]:
    if not isinstance(dockerfile, str):
        raise ValueError(
            f"The Dockerfile must be given as text (a string), not {type(dockerfile).__name__}."
        )
    _check_size(dockerfile)
    args = _check_build_args(build_args)

    env: dict[str, _Value] = {}
    for name in sorted(AUTOMATIC_PLATFORM_ARGS):
        env[name] = _Value(args[name]) if name in args else _Value("", (name,), True)

    budget = _Budget()
    scanner = _Scanner(dockerfile, budget)
    entries: list[FromLine | _Use] = []
    stages: set[str] = set()
    seen_from = False
    left_out_from = left_out_sources = 0
    left_out_after: int | None = None
    for instruction in scanner.instructions():
        if budget.pause_due():
            yield
        command = instruction.command
        full = limit is not None and len(entries) >= limit
        if command == "arg" and not seen_from:
            _check_instruction_length(instruction)
            _declare_global_args(instruction, scanner.escape, env, args, budget)
        elif command == "from":
            seen_from = True
            _check_instruction_length(instruction)
            if full:
                left_out_from += 1
                left_out_after = left_out_after or instruction.line
                stage = _stage_name(instruction)  # a --from earlier in the file may name it
                if stage is not None:
                    stages.add(stage)
                continue
            from_line = _parse_from(instruction, scanner.escape, env, stages, budget)
            entries.append(from_line)
            if from_line.stage is not None:
                stages.add(from_line.stage)
        elif uses and seen_from and command in ("copy", "run") and _has_flags(instruction.rest):
            found = _uses(instruction)
            if full and found:
                left_out_sources += len(found)
                left_out_after = left_out_after or instruction.line
                continue
            entries.extend(found)
    # A --from may name any stage of the file (BuildKit knows them all before it runs one).
    resolved: list[FromLine] = []
    for entry in entries:
        if budget.pause_due():
            yield
        if isinstance(entry, FromLine):
            resolved.append(entry)
            continue
        use = _resolve_use(entry, scanner.escape, env, stages, budget)
        if use is not None:
            resolved.append(use)
    return ImageLines(resolved, left_out_from, left_out_sources, left_out_after, budget.steps)


def _has_flags(rest: str) -> bool:
    """Whether an instruction's arguments start with a ``--flag`` (cheap: no word splitting)."""
    return rest.lstrip().startswith("--")


def _check_instruction_length(instruction: _Instruction) -> None:
    size = len(instruction.rest)
    if size > MAX_INSTRUCTION_CHARACTERS:
        raise ValueError(
            f"Line {instruction.line}: the {instruction.command.upper()} instruction is {size:,} characters"
            f" long, over the {MAX_INSTRUCTION_CHARACTERS:,} read per instruction; send the Dockerfile"
            " without it (the review needs only its ARG, FROM, COPY --from and RUN --mount lines)."
        )


def _stage_name(instruction: _Instruction) -> str | None:
    """The ``AS`` name of a FROM line that is only counted (not resolved), lower-cased."""
    _, remainder = _split_flags(instruction.rest)
    args = _WHITESPACE.split(remainder) if remainder else []
    if len(args) == 3 and args[1].lower() == "as":
        return args[2].lower()
    return None


def _check_size(dockerfile: str) -> None:
    size = len(dockerfile)
    if size <= MAX_DOCKERFILE_BYTES:
        size = len(dockerfile.encode("utf-8", "surrogatepass"))
    if size > MAX_DOCKERFILE_BYTES:
        raise ValueError(
            f"The Dockerfile is larger than {MAX_DOCKERFILE_BYTES:,} bytes (1 MiB); "
            "send only the Dockerfile itself."
        )
    lines = dockerfile.count("\n") + (0 if dockerfile.endswith("\n") or not dockerfile else 1)
    if lines > MAX_DOCKERFILE_LINES:
        raise ValueError(
            f"The Dockerfile has {lines:,} lines; at most {MAX_DOCKERFILE_LINES:,} are accepted."
        )


def _check_build_args(build_args: Mapping[str, str] | None) -> dict[str, str]:
    if build_args is None:
        return {}
    if not isinstance(build_args, Mapping):
        raise ValueError(
            "build_args must be a mapping of argument names to string values, "
            f"not {type(build_args).__name__}."
        )
    checked: dict[str, str] = {}
    for key, value in build_args.items():
        if not isinstance(key, str) or not isinstance(value, str):
            raise ValueError(
                f"build_args must map names to strings; {quoted(key)} maps to {quoted(value)}."
            )
        checked[key] = value
    return checked


# --------------------------------------------------------------------------------------
# Lines: directives, comments, continuations, heredocs
# --------------------------------------------------------------------------------------

#: BuildKit's ``reWhitespace`` (no newline: lines are already split).
_WHITESPACE = re.compile(r"[\t\v\f\r ]+")
#: BuildKit's ``reDirective`` is ``#[ws]*(key)[ws]*=[ws]*(.+?)[ws]*$``. Its lazy value followed by
#: optional blanks backtracks quadratically in Python's engine on a long run of blanks, so the value
#: is taken whole here and its blanks stripped in :func:`_directive_value`, with the same result.
_DIRECTIVE = re.compile(r"#[\t\n\f\r ]*([a-zA-Z][a-zA-Z0-9]*)[\t\n\f\r ]*=(.*)\Z", re.DOTALL)
_DIRECTIVE_BLANKS = "\t\n\f\r "
_KNOWN_DIRECTIVES = frozenset({"syntax", "escape", "check"})
#: The blanks are matched possessively (``*+``): giving them back could never make a match, and
#: trying would be quadratic in a long run of blanks.
_HEREDOC_WORD = re.compile(r"([0-9]*)<<(-?)[\t\n\f\r ]*+([^<]*)\Z")
_HEREDOC_COMMANDS = frozenset({"run", "copy", "add"})
_READ_FOR_HEREDOCS = _HEREDOC_COMMANDS | {"onbuild"}


@dataclass(frozen=True)
class _Instruction:
    line: int  # 1-based line where it starts
    command: str  # lower-cased instruction word
    rest: str  # everything after the instruction word, continuations joined


@dataclass(frozen=True)
class _Heredoc:
    name: str
    chomp: bool  # ``<<-``: leading tabs are stripped from the terminator line


def _continuation_regex(escape: str) -> re.Pattern[str]:
    e = re.escape(escape)
    return re.compile(rf"([^{e}]){e}[ \t]*\Z|\A{e}[ \t]*\Z")


class _Scanner:
    """Turns the text into logical instructions (BuildKit's ``parser.Parse`` loop)."""

    def __init__(self, text: str, budget: _Budget | None = None) -> None:
        self._budget = budget or _Budget()  # counts the lines read (see ``_Budget.steps``)
        lines = text.split("\n")
        if text.endswith("\n") or not text:
            lines.pop()
        self._lines = [line.rstrip("\r\n") for line in lines]
        if self._lines:
            self._lines[0] = self._lines[0].removeprefix("\ufeff")
        self.escape = "\\"
        self._continuation = _continuation_regex(self.escape)
        self._directives_done = False
        self._directives_seen: set[str] = set()

    def _directive(self, number: int, token: str) -> None:
        if self._directives_done:
            return
        match = _DIRECTIVE.match(token)
        key = match.group(1).lower() if match else ""
        value = _directive_value(match.group(2)) if match else None
        if match is None or value is None or key not in _KNOWN_DIRECTIVES:
            self._directives_done = True
            return
        if key in self._directives_seen:
            raise ValueError(f"Line {number}: only one `# {key}=` parser directive is allowed.")
        self._directives_seen.add(key)
        if key == "escape":
            if value not in ("\\", "`"):
                raise ValueError(
                    f"Line {number}: the escape directive must be a backslash or a backtick, "
                    f"not {quoted(value)}."
                )
            self.escape = value
            self._continuation = _continuation_regex(value)

    def _trim_continuation(self, line: str) -> tuple[str, bool]:
        """Drop a trailing escape character; the flag says whether the instruction ends."""
        match = self._continuation.search(line)
        if match is None:
            return line, True
        return line[: match.start()] + (match.group(1) or ""), False

    def instructions(self) -> Iterator[_Instruction]:
        lines = self._lines
        count = len(lines)
        index = 0
        budget = self._budget
        while index < count:
            start = index + 1
            token = lines[index].lstrip()
            index += 1
            budget.steps += len(token) + 1
            self._directive(start, token)
            if token.startswith("#"):
                token = ""
            first, ended = self._trim_continuation(token)
            if ended and not first:
                continue
            parts = [first]  # joined once: adding to a string line by line is quadratic
            while not ended and index < count:
                raw = lines[index]
                index += 1
                budget.steps += len(raw) + 1
                self._directive(index, raw)
                stripped = raw.lstrip()
                if not stripped or stripped.startswith("#"):
                    continue  # comment or empty line inside a continuation
                part, ended = self._trim_continuation(raw)
                parts.append(part)
            line = "".join(parts)
            command, rest = _split_command(line)
            if len(rest) > MAX_INSTRUCTION_CHARACTERS and "<<" in rest and command.lower() in _READ_FOR_HEREDOCS:
                _check_instruction_length(_Instruction(start, command.lower(), rest))  # before reading its words
            if _can_contain_heredoc(command, rest):
                budget.steps += len(line)
                for heredoc in _heredocs(line):
                    index = self._skip_heredoc(heredoc, start, index)
            yield _Instruction(start, command.lower(), rest)

    def _skip_heredoc(self, heredoc: _Heredoc, start: int, index: int) -> int:
        lines = self._lines
        while index < len(lines):
            candidate = lines[index]
            index += 1
            self._budget.steps += len(candidate) + 1
            if heredoc.chomp:
                candidate = candidate.lstrip("\t")
            if candidate == heredoc.name:
                return index
        raise ValueError(
            f"Line {start}: the heredoc <<{clip(heredoc.name)} is never closed; end it with a line "
            f"that is exactly {quoted(heredoc.name)}."
        )


def _directive_value(text: str) -> str | None:
    """The value ``=[ws]*(.+?)[ws]*$`` captures from ``text`` (what follows the ``=``), or
    ``None`` when that regex would not match: blanks stripped at both ends, and when only blanks
    follow, the last of them (the lazy group must take one character)."""
    stripped = text.strip(_DIRECTIVE_BLANKS)
    if stripped:
        return stripped
    return text[-1] if text else None


def _split_command(line: str) -> tuple[str, str]:
    parts = _WHITESPACE.split(line.strip(), maxsplit=1)
    return parts[0], (parts[1] if len(parts) == 2 else "")


def _can_contain_heredoc(command: str, rest: str) -> bool:
    if "<<" not in rest:
        return False  # every heredoc word holds "<<": no need to split the line into words
    name = command.lower()
    if name == "onbuild":
        sub_command, rest = _split_command(rest)
        name = sub_command.lower()
    if name not in _HEREDOC_COMMANDS:
        return False
    _, args = _split_flags(rest)
    return not _is_json_array(args)


def _is_json_array(args: str) -> bool:
    text = args.lstrip()
    if not text.startswith("["):
        return False
    try:
        return isinstance(json.loads(text), list)
    except ValueError:
        return False


def _heredocs(line: str) -> list[_Heredoc]:
    """BuildKit's ``heredocsFromLine``: words like ``<<EOF`` in the (joined) line."""
    words = _shell_words(line, raw=True)
    found: list[_Heredoc] = []
    for word in words or []:
        match = _HEREDOC_WORD.match(word)
        if match is None or not match.group(3):
            continue
        names = _shell_words(match.group(3), raw=False)
        if names is None or len(names) != 1:
            continue
        found.append(_Heredoc(names[0], chomp=match.group(2) == "-"))
    return found


class _Words:
    """BuildKit's ``wordsStruct``: splits on whitespace unless a char is added raw."""

    def __init__(self) -> None:
        self.words: list[str] = []
        self.word: list[str] = []  # the pieces of the current word, joined once it ends
        self.in_word = False

    def add_char(self, ch: str) -> None:
        if ch.isspace():
            if self.in_word and self.word:
                self.words.append("".join(self.word))
                self.word = []
                self.in_word = False
        else:
            self.add_raw(ch)

    def add_raw(self, text: str) -> None:
        if text:
            self.word.append(text)
        self.in_word = True

    def add_string(self, text: str) -> None:
        for ch in text:
            self.add_char(ch)

    def result(self) -> list[str]:
        if self.word:
            self.words.append("".join(self.word))
            self.word = []
        return self.words


def _shell_words(text: str, *, raw: bool) -> list[str] | None:
    """Split ``text`` into shell words without substituting anything (``None``: bad quotes).

    With ``raw`` quotes and escapes stay in the words (how BuildKit finds heredoc words);
    without, they are removed (how it reads a heredoc's name). The escape is always ``\\``.
    """
    words = _Words()
    index, size = 0, len(text)
    while index < size:
        ch = text[index]
        if ch == "'":
            end = text.find("'", index + 1)
            if end < 0:
                return None
            words.add_raw(text[index : end + 1] if raw else text[index + 1 : end])
            index = end + 1
        elif ch == '"':
            quoted, index = _raw_double_quote(text, index, raw)
            if quoted is None:
                return None
            words.add_raw(quoted)
        elif ch == "$":
            dollar, index = _raw_dollar(text, index)
            if dollar is None:
                return None
            words.add_string(dollar)
        elif raw and text.startswith("<<", index):
            index = _raw_heredoc_operator(text, index, words)
        else:
            index += 1
            if ch == "\\":
                if index >= size:
                    break
                if raw:
                    words.add_raw(ch)
                words.add_raw(text[index])
                index += 1
            else:
                words.add_char(ch)
    return words.result()


def _raw_heredoc_operator(text: str, index: int, words: _Words) -> int:
    """``<<`` and the blanks after it join the next word (BuildKit's processPossibleHeredoc).

    ``<<- EOF`` is joined the same way, so that it reads as ``<<-EOF``.
    """
    end = index + 2
    if text.startswith("-", end) and end + 1 < len(text) and text[end + 1] in " \t":
        end += 1
    while end < len(text) and text[end] in " \t":
        end += 1
    words.add_raw(text[index:end])
    return end


def _raw_double_quote(text: str, index: int, raw: bool) -> tuple[str | None, int]:
    out = ['"'] if raw else []
    index += 1
    while index < len(text):
        ch = text[index]
        if ch == '"':
            if raw:
                out.append(ch)
            return "".join(out), index + 1
        if ch == "$":
            dollar, index = _raw_dollar(text, index)
            if dollar is None:
                return None, index
            out.append(dollar)
            continue
        index += 1
        if ch == "\\":
            if index >= len(text):
                continue  # an escape at the very end is dropped
            if text[index] in '"$\\':
                if raw:
                    out.append(ch)
                ch = text[index]
                index += 1
        out.append(ch)
    return None, index


def _raw_dollar(text: str, index: int) -> tuple[str | None, int]:
    """A ``$`` reference kept as written (nothing is substituted while looking for heredocs)."""
    start = index
    index += 1
    if index < len(text) and text[index] == "{":
        if index + 1 >= len(text) or text[index + 1] in "{}:":
            return None, index
        depth = 0
        while index < len(text):
            if text.startswith("${", index):
                depth += 1
                index += 2
                continue
            if text[index] == "}":
                depth -= 1
                if depth == 0:
                    return text[start : index + 1], index + 1
            index += 1
        return None, index
    _, index = _read_name(text, index)
    return text[start:index], index


# --------------------------------------------------------------------------------------
# Words and flags (BuildKit's parseWords and extractBuilderFlags)
# --------------------------------------------------------------------------------------

_IN_SPACES, _IN_WORD, _IN_QUOTE = 0, 1, 2


def _split_flags(line: str) -> tuple[list[str], str]:
    """Leading ``--flag[=value]`` words (quotes removed) and the rest of the line."""
    words: list[str] = []
    word = ""
    phase = _IN_SPACES
    quote = ""
    blank_ok = False
    pos, size = 0, len(line)
    while pos <= size:
        ch = line[pos] if pos < size else ""
        if phase == _IN_SPACES:
            if pos == size:
                break
            if ch.isspace():
                pos += 1
                continue
            if ch != "-" or pos + 1 == size or line[pos + 1] != "-":
                return words, line[pos:].strip()
            phase = _IN_WORD
        if pos == size:
            if word != "--" and (blank_ok or word):
                words.append(word)
            break
        if phase == _IN_WORD:
            if ch.isspace():
                phase = _IN_SPACES
                if word == "--":
                    return words, line[pos:].strip()
                if blank_ok or word:
                    words.append(word)
                word = ""
                blank_ok = False
                pos += 1
                continue
            if ch in "'\"":
                quote = ch
                blank_ok = True
                phase = _IN_QUOTE
                pos += 1
                continue
            if ch == "\\":
                if pos + 1 == size:
                    pos += 1
                    continue
                pos += 1
                ch = line[pos]
            word += ch
            pos += 1
            continue
        if ch == quote:
            phase = _IN_WORD
            pos += 1
            continue
        if ch == "\\":
            if pos + 1 == size:
                phase = _IN_WORD
                pos += 1
                continue
            pos += 1
            ch = line[pos]
        word += ch
        pos += 1
    return words, ""


def _parse_words(rest: str, escape: str) -> list[str]:
    """Whitespace-separated words; quotes and escapes are kept for later processing."""
    words: list[str] = []
    word = ""
    phase = _IN_SPACES
    quote = ""
    blank_ok = False
    pos, size = 0, len(rest)
    while pos <= size:
        ch = rest[pos] if pos < size else ""
        if phase == _IN_SPACES:
            if pos == size:
                break
            if ch.isspace():
                pos += 1
                continue
            phase = _IN_WORD
        if pos == size:
            if blank_ok or word:
                words.append(word)
            break
        if phase == _IN_WORD:
            if ch.isspace():
                phase = _IN_SPACES
                if blank_ok or word:
                    words.append(word)
                word = ""
                blank_ok = False
                pos += 1
                continue
            if ch in "'\"":
                quote = ch
                blank_ok = True
                phase = _IN_QUOTE
            if ch == escape:
                if pos + 1 == size:
                    pos += 1
                    continue
                word += ch
                pos += 1
                ch = rest[pos]
            word += ch
            pos += 1
            continue
        if ch == quote:
            phase = _IN_WORD
        if ch == escape and quote != "'":
            if pos + 1 == size:
                phase = _IN_WORD
                pos += 1
                continue
            word += ch
            pos += 1
            ch = rest[pos]
        word += ch
        pos += 1
    return words


# --------------------------------------------------------------------------------------
# ARG and FROM
# --------------------------------------------------------------------------------------

_STAGE_NAME = re.compile(r"[a-z][a-z0-9_.-]*\Z")


def _declare_global_args(
    instruction: _Instruction,
    escape: str,
    env: dict[str, _Value],
    build_args: Mapping[str, str],
    budget: _Budget,
) -> None:
    _, rest = _split_flags(instruction.rest)
    words = _parse_words(rest, escape)
    if not words:
        raise ValueError(
            f"Line {instruction.line}: ARG needs a name, as in `ARG NAME` or `ARG NAME=value`."
        )
    for word in words:
        key, has_default, default = word.partition("=")
        if not key:
            raise ValueError(f"Line {instruction.line}: ARG {quoted(word)} has no name before '='.")
        if key in build_args:
            env[key] = _Value(build_args[key])
        elif has_default:
            what = f"the default of ARG {clip(key)}"
            env[key] = _expand(default, escape, env, budget, instruction.line, what)
        # ``ARG NAME`` alone keeps an earlier value, or leaves NAME without one.


def _parse_from(
    instruction: _Instruction,
    escape: str,
    env: Mapping[str, _Value],
    stages: set[str],
    budget: _Budget,
) -> FromLine:
    number = instruction.line
    flags, remainder = _split_flags(instruction.rest)
    args = _WHITESPACE.split(remainder) if remainder else []

    platform: str | None = None
    seen_platform = False
    for flag in flags:
        name, has_value, flag_value = flag[2:].partition("=")
        if name.lower() != "platform":
            continue  # Docker rejects unknown flags; a review only needs the image
        if seen_platform:
            raise ValueError(f"Line {number}: FROM gives --platform twice; keep one.")
        seen_platform = True
        if has_value:
            platform = flag_value or None
        elif args:
            platform = args.pop(0)  # lenient: `--platform linux/amd64`
        else:
            raise ValueError(
                f"Line {number}: --platform needs a value, as in "
                "`FROM --platform=linux/amd64 <image>`."
            )

    if not args:
        raise ValueError(
            f"Line {number}: FROM has no image; write `FROM <image>[:<tag>] [AS <name>]`."
        )
    stage: str | None = None
    if len(args) == 3 and args[1].lower() == "as":
        stage = args[2].lower()
        if not _STAGE_NAME.match(stage):
            raise ValueError(
                f"Line {number}: {quoted(args[2])} is not a valid stage name; it must start with a "
                "letter and use only letters, digits, '-', '_' and '.'."
            )
    elif len(args) != 1:
        hint = (
            " Comments must be on their own line."
            if any(arg.startswith("#") for arg in args)
            else ""
        )
        raise ValueError(
            f"Line {number}: FROM takes an image and an optional `AS <name>`, but got "
            f"{quoted(' '.join(args))}.{hint}"
        )

    platform_value: str | None = None
    platform_unresolved: tuple[str, ...] = ()
    if platform is not None:
        expanded = _expand(platform, escape, env, budget, number, f"--platform={clip(platform)}")
        platform_unresolved = expanded.unresolved
        platform_value = None if expanded.unresolved else (expanded.text or None)

    original = args[0]
    value = _expand(original, escape, env, budget, number, f"the image {quoted(original)}")
    if value.unresolved:
        return FromLine(
            number,
            original,
            None,
            value.unresolved,
            stage,
            platform,
            "image",
            None,
            platform_resolved=platform_value,
            platform_unresolved=platform_unresolved,
        )
    resolved = value.text
    if not resolved:
        raise ValueError(
            f"Line {number}: the image {quoted(original)} expands to an empty name; "
            "give its build arguments a value."
        )
    key = resolved.lower()
    if key in stages:
        return FromLine(
            number,
            original,
            resolved,
            (),
            stage,
            platform,
            "stage",
            key,
            platform_resolved=platform_value,
            platform_unresolved=platform_unresolved,
        )
    kind: FromKind = "scratch" if resolved == "scratch" else "image"
    return FromLine(
        number,
        original,
        resolved,
        (),
        stage,
        platform,
        kind,
        None,
        platform_resolved=platform_value,
        platform_unresolved=platform_unresolved,
    )


def _uses(instruction: _Instruction) -> list[_Use]:
    """``COPY --from=<x>`` and ``RUN --mount=...,from=<x>`` values (``<x>`` may be a stage).

    Only the flags are read word by word, and only the first ``MAX_INSTRUCTION_CHARACTERS`` of
    the instruction: a long script after the flags costs nothing; flags longer than that are refused."""
    rest = instruction.rest
    head = rest[:MAX_INSTRUCTION_CHARACTERS]
    flags, after = _split_flags(head)
    if len(rest) > len(head) and not after:
        raise ValueError(
            f"Line {instruction.line}: the flags of this {instruction.command.upper()} instruction run past the"
            f" first {MAX_INSTRUCTION_CHARACTERS:,} characters, which is all that is read of them; shorten them."
        )
    found: list[_Use] = []
    for flag in flags:
        name, has_value, value = flag[2:].partition("=")
        name = name.lower()
        if not has_value or not value:
            continue
        if instruction.command == "copy" and name == "from":
            found.append(_Use(instruction.line, "COPY --from", value))
        elif instruction.command == "run" and name == "mount":
            source = _mount_source(value)
            if source:
                found.append(_Use(instruction.line, "RUN --mount", source))
    return found


def _mount_source(value: str) -> str | None:
    """The ``from=`` of a ``--mount`` value (CSV ``key=value`` fields, as BuildKit reads it)."""
    try:
        fields = next(csv.reader([value]), [])
    except csv.Error:
        return None
    options: dict[str, str] = {}
    for field in fields:
        key, has_value, option = field.partition("=")
        if has_value:
            options[key.strip().lower()] = option
    if options.get("type", "bind").lower() not in ("bind", "cache"):
        return None  # tmpfs, secret and ssh mounts take nothing from an image
    return options.get("from") or None


def _resolve_use(
    use: _Use, escape: str, env: Mapping[str, _Value], stages: set[str], budget: _Budget
) -> FromLine | None:
    what = f"{use.instruction} value {quoted(use.word)}"
    value = _expand(use.word, escape, env, budget, use.line, what)
    if value.unresolved:
        return FromLine(
            use.line, use.word, None, value.unresolved, None, None, "image", None,
            instruction=use.instruction,
        )  # fmt: skip
    text = value.text
    if not text or text.isdecimal() or text.lower() in stages:
        return None  # a stage (by name or index), not an image
    kind: FromKind = "scratch" if text == "scratch" else "image"
    return FromLine(
        use.line, use.word, text, (), None, None, kind, None, instruction=use.instruction
    )


# --------------------------------------------------------------------------------------
# Substitution (BuildKit's shell lexer, ProcessWord)
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Value:
    """A substituted text; ``unresolved`` names the value-less variables it used.

    ``indeterminate`` marks text whose emptiness is unknown (it depends on an automatic
    platform argument), so an operator like ``:-`` cannot decide on it.
    """

    text: str
    unresolved: tuple[str, ...] = ()
    indeterminate: bool = False


def _merge(*groups: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(name for group in groups for name in group))


class _SubstitutionError(Exception):
    pass


class _Budget:
    """Work left for the substitutions of one document (see ``_CHARACTER_BUDGET``), and the work
    done in all (``steps``: characters read, produced and matched), which paces the slices."""

    def __init__(self) -> None:
        self.characters = _CHARACTER_BUDGET
        self.matching = _MATCHING_BUDGET
        self.steps = 0
        self._pause_at = SLICE_STEPS

    def pause_due(self) -> bool:
        """Whether a slice's worth of work was done since the last pause (and start a new slice)."""
        if self.steps < self._pause_at:
            return False
        self._pause_at = self.steps + SLICE_STEPS
        return True

    def spend(self, characters: int) -> None:
        self.steps += characters
        self.characters -= characters
        if self.characters < 0:
            raise _SubstitutionError(
                "the build arguments expand to too much text in all; simplify them"
            )

    def match(self, steps: int) -> None:
        self.steps += steps
        self.matching -= steps
        if self.matching < 0:
            raise _SubstitutionError(
                "its wildcard patterns need too much work to evaluate; simplify them"
            )


def _expand(
    word: str, escape: str, env: Mapping[str, _Value], budget: _Budget, line: int, what: str
) -> _Value:
    budget.steps += len(word)
    try:
        return _Expander(word, escape, env, budget).expand()
    except _SubstitutionError as error:
        raise ValueError(f"Line {line}: cannot substitute variables in {what}: {error}.") from None


def _check_length(size: int) -> None:
    if size > _MAX_EXPANSION:
        raise _SubstitutionError(f"it expands to more than {_MAX_EXPANSION:,} characters")


class _Accumulator:
    def __init__(self, budget: _Budget) -> None:
        self.budget = budget
        self.parts: list[str] = []
        self.size = 0
        # names in order of first use; a dict, since merging tuples per variable is quadratic
        self.unresolved: dict[str, None] = {}
        self.indeterminate = False

    def text(self, text: str) -> None:
        self.parts.append(text)
        self.size += len(text)
        _check_length(self.size)

    def value(self, value: _Value) -> None:
        self.text(value.text)
        for name in value.unresolved:
            self.unresolved[name] = None
        self.indeterminate = self.indeterminate or value.indeterminate

    def result(self) -> _Value:
        self.budget.spend(self.size + 1)
        return _Value("".join(self.parts), tuple(self.unresolved), self.indeterminate)


_SPECIAL_PARAMS = "@*#?-$!0"


def _read_name(text: str, index: int) -> tuple[str, int]:
    """A variable name at ``index``: letters, digits, ``_``; or digits; or one special char."""
    if index >= len(text):
        return "", index
    ch = text[index]
    end = index
    if ch.isdecimal():
        while end < len(text) and text[end].isdecimal():
            end += 1
        return text[index:end], end
    if ch in _SPECIAL_PARAMS:
        return ch, index + 1
    while end < len(text) and (text[end].isalpha() or text[end].isdecimal() or text[end] == "_"):
        end += 1
    return text[index:end], end


class _Expander:
    def __init__(
        self, word: str, escape: str, env: Mapping[str, _Value], budget: _Budget
    ) -> None:
        self._text = word
        self._pos = 0
        self._escape = escape
        self._env = env
        self._budget = budget
        self._depth = 0  # expansions and quotes open around the current position

    def expand(self) -> _Value:
        return self._until(None, raw_escapes=False)

    def _peek(self) -> str:
        return self._text[self._pos] if self._pos < len(self._text) else ""

    def _next(self) -> str:
        ch = self._peek()
        if ch:
            self._pos += 1
        return ch

    def _until(self, stop: str | None, *, raw_escapes: bool) -> _Value:
        acc = _Accumulator(self._budget)
        while True:
            ch = self._peek()
            if not ch:
                break
            if stop is not None and ch == stop:
                self._next()
                return acc.result()
            if ch == "'":
                acc.text(self._single_quote())
            elif ch == '"':
                acc.value(self._double_quote(raw_escapes))
            elif ch == "$":
                acc.value(self._dollar())
            else:
                self._next()
                if ch == self._escape:
                    if raw_escapes:
                        acc.text(ch)
                    ch = self._next()
                    if not ch:
                        break
                acc.text(ch)
        if stop is not None:
            raise _SubstitutionError(f"missing {stop!r}")
        return acc.result()

    def _single_quote(self) -> str:
        self._next()
        end = self._text.find("'", self._pos)
        if end < 0:
            raise _SubstitutionError("a single quote is never closed")
        text = self._text[self._pos : end]
        self._pos = end + 1
        return text

    def _enter(self) -> None:
        """One level deeper (a ``${...}`` or a double quote): bounded, so that nesting cannot
        exhaust the stack (BuildKit has no bound; no real Dockerfile comes near this one)."""
        self._depth += 1
        if self._depth > MAX_NESTING:
            raise _SubstitutionError(
                f"its variable expansions are nested more than {MAX_NESTING} deep, which is not read;"
                " flatten them (one ARG per level)"
            )

    def _double_quote(self, raw_escapes: bool) -> _Value:
        self._enter()
        value = self._double_quote_body(raw_escapes)
        self._depth -= 1
        return value

    def _double_quote_body(self, raw_escapes: bool) -> _Value:
        self._next()
        acc = _Accumulator(self._budget)
        while True:
            ch = self._peek()
            if not ch:
                raise _SubstitutionError("a double quote is never closed")
            if ch == '"':
                self._next()
                return acc.result()
            if ch == "$":
                acc.value(self._dollar())
                continue
            self._next()
            if ch == self._escape:
                if raw_escapes:
                    acc.text(ch)
                following = self._peek()
                if not following:
                    continue
                if following in ('"', "$", self._escape):
                    ch = self._next()
            acc.text(ch)

    def _name(self) -> str:
        name, self._pos = _read_name(self._text, self._pos)
        return name

    def _lookup(self, name: str) -> _Value:
        value = self._env.get(name)
        return value if value is not None else _Value("", (name,))

    def _dollar(self) -> _Value:
        self._next()  # "$"
        if self._peek() != "{":
            name = self._name()
            return self._lookup(name) if name else _Value("$")
        self._enter()
        value = self._braced()
        self._depth -= 1
        return value

    def _braced(self) -> _Value:
        self._next()  # "{"
        ch = self._peek()
        if not ch:
            raise _SubstitutionError("missing '}'")
        if ch in "{}:":
            raise _SubstitutionError("bad substitution")
        name = self._name()
        ch = self._next()
        if not ch:
            raise _SubstitutionError("missing '}'")
        if ch == "}":
            return self._lookup(name)
        modifier = ch
        null_is_unset = ch == ":"
        if null_is_unset:
            ch = self._next()
            modifier += ch
        if ch and ch in "+-?#%":
            if null_is_unset and ch in "#%":
                raise _SubstitutionError(f"unsupported modifier ({modifier}) in ${{{clip(name)}...}}")
            word = self._until("}", raw_escapes=ch in "#%")
            return self._operator(name, ch, null_is_unset, word)
        if ch == "/" and not null_is_unset:
            replace_all = self._peek() == "/"
            if replace_all:
                self._next()
            pattern = self._until("/", raw_escapes=True)
            replacement = self._until("}", raw_escapes=True)
            return self._replace(name, pattern, replacement, replace_all)
        raise _SubstitutionError(f"unsupported modifier ({modifier}) in ${{{clip(name)}...}}")

    def _operator(self, name: str, op: str, null_is_unset: bool, word: _Value) -> _Value:
        value = self._env.get(name)
        if value is not None and value.indeterminate:
            return _Value("", _merge(value.unresolved, word.unresolved), True)
        empty = value is None or (null_is_unset and value.text == "")
        if op == "-":
            return word if empty or value is None else value
        if op == "+":
            return _Value("") if empty else word
        if op == "?":
            if empty or value is None:
                # Docker stops the build here; for us the variable simply has no value.
                return _Value("", _merge(value.unresolved if value else (), (name,)))
            return value
        subject = value if value is not None else _Value("", (name,))
        pattern = word.text
        greedy = pattern.startswith(op)
        if greedy:
            pattern = pattern[1:]
        if op == "#":
            text = _trim_prefix(pattern, subject.text, greedy, self._budget)
        else:
            text = _trim_suffix(pattern, subject.text, greedy, self._budget)
        return _Value(
            text,
            _merge(subject.unresolved, word.unresolved),
            subject.indeterminate or word.indeterminate,
        )

    def _replace(self, name: str, pattern: _Value, replacement: _Value, replace_all: bool) -> _Value:
        value = self._env.get(name)
        subject = value if value is not None else _Value("", (name,))
        text = _replace_pattern(
            pattern.text, subject.text, replacement.text, replace_all, self._budget
        )
        return _Value(
            text,
            _merge(subject.unresolved, pattern.unresolved, replacement.unresolved),
            subject.indeterminate or pattern.indeterminate or replacement.indeterminate,
        )


# Shell wildcard patterns (``*``, ``?`` and ``\\`` escapes; no brackets), matched with
# BuildKit's regex semantics (``*`` is ``.*``/``.*?``, ``?`` is ``.``; neither matches a
# newline) by a linear-time NFA simulation instead of a backtracking regex, so a hostile
# pattern such as ``${V#*a*a*a*a*b}`` cannot stall the parser.

_Glob = tuple[tuple[str, str], ...]  # ("*", ""), ("?", "") or ("=", literal character)


def _glob(pattern: str) -> _Glob:
    tokens: list[tuple[str, str]] = []
    index = 0
    while index < len(pattern):
        ch = pattern[index]
        index += 1
        if ch in "*?":
            tokens.append((ch, ""))
        elif ch == "\\":
            following = pattern[index] if index < len(pattern) else ""
            if following in ("}", "/"):
                continue  # escaped only for the ${} syntax; the next char is taken as is
            if following not in ("*", "?", "\\"):
                raise _SubstitutionError(f"invalid escape in the pattern {quoted(pattern)}")
            tokens.append(("=", following))
            index += 1
        else:
            tokens.append(("=", ch))
    return tuple(tokens)


def _closure(glob: _Glob, states: Iterable[int]) -> set[int]:
    out: set[int] = set()
    stack = list(states)
    while stack:
        state = stack.pop()
        if state in out:
            continue
        out.add(state)
        if state < len(glob) and glob[state][0] == "*":
            stack.append(state + 1)
    return out


def _step(glob: _Glob, state: int, ch: str) -> int | None:
    """The state after reading ``ch`` in ``state`` (``None``: no transition)."""
    if state == len(glob):
        return None
    kind, literal = glob[state]
    if kind == "*":
        return state if ch != "\n" else None
    if kind == "?":
        return state + 1 if ch != "\n" else None
    return state + 1 if ch == literal else None


def _match_ends(glob: _Glob, text: str, start: int, budget: _Budget) -> list[int]:
    """Every ``end`` such that ``text[start:end]`` matches the whole pattern, ascending."""
    accept = len(glob)
    states = _closure(glob, (0,))
    ends = [start] if accept in states else []
    for position in range(start, len(text)):
        budget.match(len(states) + 1)
        moved = (_step(glob, state, text[position]) for state in states)
        states = _closure(glob, (state for state in moved if state is not None))
        if not states:
            break
        if accept in states:
            ends.append(position + 1)
    return ends


def _trim_prefix(pattern: str, value: str, greedy: bool, budget: _Budget) -> str:
    ends = _match_ends(_glob(pattern), value, 0, budget)
    if not ends:
        return value
    return value[ends[-1] if greedy else ends[0] :]


def _trim_suffix(pattern: str, value: str, greedy: bool, budget: _Budget) -> str:
    reversed_glob = tuple(reversed(_glob(pattern)))
    ends = _match_ends(reversed_glob, value[::-1], 0, budget)
    if not ends:
        return value
    return value[: len(value) - (ends[-1] if greedy else ends[0])]


def _leftmost_match(
    glob: _Glob, text: str, start: int, budget: _Budget
) -> tuple[int, int] | None:
    """The leftmost match at or after ``start``, longest at that position (greedy ``*``)."""
    accept = len(glob)
    best: int | None = None
    active: dict[int, int] = {}  # state -> smallest start position reaching it
    for position in range(start, len(text) + 1):
        if best is None:
            for state in _closure(glob, (0,)):
                active.setdefault(state, position)
        if accept in active:
            best = active[accept] if best is None else min(best, active[accept])
        if best is not None:
            active = {state: origin for state, origin in active.items() if origin < best}
        if not active or position == len(text):
            break
        budget.match(len(active) + 1)
        moved: dict[int, int] = {}
        for state, origin in active.items():
            target = _step(glob, state, text[position])
            if target is None:
                continue
            for reached in _closure(glob, (target,)):
                if reached not in moved or origin < moved[reached]:
                    moved[reached] = origin
        active = moved
    if best is None:
        return None
    return best, _match_ends(glob, text, best, budget)[-1]


def _replace_pattern(
    pattern: str, value: str, replacement: str, replace_all: bool, budget: _Budget
) -> str:
    glob = _glob(pattern)
    if not replace_all:
        match = _leftmost_match(glob, value, 0, budget)
        if match is None:
            return value
        return value[: match[0]] + replacement + value[match[1] :]
    # Go's ReplaceAllString: successive non-overlapping matches; an empty match right
    # after the previous match is ignored.
    out: list[str] = []
    size = 0
    position = 0
    previous_end = -1
    while position <= len(value):
        match = _leftmost_match(glob, value, position, budget)
        if match is None:
            break
        begin, end = match
        size += begin - position + len(replacement) + 1
        _check_length(size)
        if begin == end == previous_end:
            if begin >= len(value):
                break
            out.append(value[begin])
            position = begin + 1
            continue
        out.append(value[position:begin])
        out.append(replacement)
        previous_end = end
        if end == begin:
            if begin < len(value):
                out.append(value[begin])
            position = begin + 1
        else:
            position = end
    out.append(value[position:])
    return "".join(out)
