"""The error taxonomy's sentence tidying: doubled full stops go, dots inside names stay."""

from __future__ import annotations

import pytest

from hub_mcp.errors import InvalidInput, sentence


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Hub said: invalid page.. Try page 1.", "Hub said: invalid page. Try page 1."),
        ("Hub said: invalid page. .", "Hub said: invalid page."),
        ("The namespace '../../x' does not exist.", "The namespace '../../x' does not exist."),
        ("Tag 'v1..2' is odd.", "Tag 'v1..2' is odd."),
    ],
)
def test_doubled_stops_go_but_dots_inside_words_stay(text: str, shown: str) -> None:
    assert str(InvalidInput(text)) == shown
    assert sentence(text) == shown
