"""The README bound: within the budget, every section heading kept, cuts marked, fences closed."""

from __future__ import annotations

from hub_mcp.answers.documents import CUT, bound_markdown


def test_a_short_text_is_untouched() -> None:
    assert bound_markdown("# A\n\nshort\n", 100) == "# A\n\nshort\n"


def test_sections_share_the_budget_and_keep_their_headings() -> None:
    text = "# Tags\n\n" + "- `tag`\n" * 2000 + "\n# How to use\n\nrun it with docker run x\n\n# License\n\nMIT\n"
    out = bound_markdown(text, 1000)
    assert len(out) <= 1000
    for heading in ("# Tags", "# How to use", "# License"):
        assert heading in out
    assert "run it with docker run x" in out and "MIT" in out, "short sections come whole"
    assert out.count(CUT) == 1, "only the long section is cut"


def test_headings_inside_code_fences_do_not_split_and_a_cut_fence_is_closed() -> None:
    body = "```sh\n# not a heading\n" + "echo hi\n" * 500 + "```\n"
    text = f"# Usage\n\n{body}\n# Notes\n\nsmall\n"
    out = bound_markdown(text, 600)
    assert out.count("```") % 2 == 0
    assert "# Notes" in out and "small" in out


def test_text_without_headings_is_cut_once() -> None:
    out = bound_markdown("word " * 1000, 300)
    assert len(out) <= 310 and out.rstrip().endswith(CUT)


def test_too_many_headings_fall_back_to_a_plain_cut() -> None:
    text = "".join(f"# Heading number {i}\n\ntext {i}\n\n" for i in range(300))
    out = bound_markdown(text, 1000)
    assert len(out) <= 1010 and out.rstrip().endswith(CUT)
