"""The text helpers every room uses to quote an input (vocab.common.quoted and clip)."""

from __future__ import annotations

from hub_mcp.vocab.common import QUOTE_LIMIT, clip, quoted


def test_a_short_input_is_quoted_as_repr_does() -> None:
    for text in ("python:3.12", "it's", 'say "hi"', "a" * QUOTE_LIMIT):
        assert quoted(text) == repr(text)
        assert clip(text) == text


def test_a_long_input_is_cut_to_a_prefix_that_says_how_long_it_was() -> None:
    text = "a" * 180_000
    assert quoted(text) == repr("a" * QUOTE_LIMIT)[:-1] + "…' (180,000 characters)"
    assert clip(text) == "a" * QUOTE_LIMIT + "…(180,000 characters)"
    assert quoted("it's" * 100).endswith('…" (400 characters)')


def test_a_value_that_is_not_text_is_cut_too() -> None:
    assert len(quoted({"key": "v" * 10_000})) < 2 * QUOTE_LIMIT
