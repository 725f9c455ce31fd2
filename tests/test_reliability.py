"""benchmarks/reliability.py at CI size: faults, fuzz, soak and leaks must show 0 "other" and 0 leaks.

The full-size figures (1,000 calls per mode, 10,000-call soaks) come from
``scripts/bench --only reliability``; these runs use the same code with fewer calls.
"""

from __future__ import annotations

import pytest

from benchmarks.reliability import (
    PAT,
    Transcript,
    classify_result,
    leaks,
    run_faults,
    run_fuzz,
    run_soak,
)
from tests.conftest import Pushed


def test_the_classification_tells_sentences_from_crashes_and_dumps() -> None:
    assert classify_result(False, '{"a":1}') == "ok"
    assert classify_result(True, "Error executing tool get_tag: python:3.99 was not found; list the tags.") == "clear"
    assert classify_result(True, "Error executing tool get_tag") == "other"
    assert classify_result(True, "Error executing tool x: hub-mcp failed with an internal error (KeyError).") == "other"
    assert classify_result(True, "Traceback (most recent call last):\n  File ...") == "other"
    assert leaks(["fine", f"token {PAT}", "Bearer eyJhbGciOi.eyJzdWIiOiJh.c2ln"]) == [
        f"token {PAT}",
        "Bearer eyJhbGciOi.eyJzdWIiOiJh.c2ln",
    ]


@pytest.mark.parametrize("mode", ["auto", "legacy"])
async def test_faults_on_hub_and_registry_give_only_answers_and_clear_errors(registry: Pushed, mode: str) -> None:
    transcript = Transcript()
    tally = await run_faults(registry.host, mode, calls=39, seed=3, transcript=transcript)
    assert tally.calls == 39 and tally.other == 0, tally.examples
    assert sum(tally.faults.values()) >= 10  # the faults did happen
    assert tally.ok > 0 and tally.clear > 0
    assert leaks(transcript.texts) == []


async def test_fuzzed_arguments_never_crash_and_never_reach_a_refused_host() -> None:
    transcript = Transcript()
    tally, reached = await run_fuzz(examples=140, seed=3, transcript=transcript)
    assert tally.calls >= 140 and tally.other == 0, tally.examples
    assert tally.dropped == 0  # issue 17: an argument the tool does not have is refused, never dropped
    assert reached == []
    assert leaks(transcript.texts) == []


@pytest.mark.parametrize("transport", ["stdio", "streamable-http"])
async def test_a_soak_over_a_real_transport_stays_clean(registry: Pushed, transport: str) -> None:
    transcript = Transcript()
    soak = await run_soak(transport, 60, registry.host, transcript)
    assert soak.calls == 60 and soak.other == 0 and soak.ok > 30
    assert soak.rss_start_mb > 0 and soak.rss_end_mb > 0
    assert leaks(transcript.texts) == []
