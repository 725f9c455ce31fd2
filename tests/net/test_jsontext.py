"""JSON from outside is read only to a bounded depth (hub_mcp.net.jsontext)."""

from __future__ import annotations

import pytest

from hub_mcp.net.jsontext import MAX_DEPTH, TooDeep, loads


def nested(depth: int) -> bytes:
    return b'{"a":' * (depth - 1) + b"[]" + b"}" * (depth - 1)


def test_nesting_up_to_the_limit_is_read_and_one_more_level_is_refused() -> None:
    assert loads(nested(MAX_DEPTH)) is not None
    with pytest.raises(TooDeep):
        loads(nested(MAX_DEPTH + 1))


def test_nesting_past_the_decoders_recursion_is_a_value_error_not_a_recursion_error() -> None:
    with pytest.raises(ValueError, match="nested deeper than 64 levels"):
        loads(b"[" * 200_000 + b"]" * 200_000)


def test_wide_data_and_non_json_read_as_json_loads_reads_them() -> None:
    assert loads(b'[{"a": [1, 2]}, {"b": {"c": null}}]') == [{"a": [1, 2]}, {"b": {"c": None}}]
    assert loads("NaN") != loads("NaN")  # json.loads' own reading of NaN
    with pytest.raises(ValueError):
        loads(b"<html>")
