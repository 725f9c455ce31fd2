"""benchmarks/hardened_live.py: its goal lines, and one run through the server's wiring against a real registry.

The run is the benchmark at its smallest (one runtime per case, no added latency); its numbers are in
benchmarks/README.md section 11. Asserted here is what must hold whatever the numbers: a login is what makes
requests, a warm call sends none, the equivalents named are tags the registry holds, and the registry's own
access log agrees with the count.
"""

from __future__ import annotations

from benchmarks.hardened_live import (
    CALLS,
    PHASES,
    SETUPS,
    LiveReport,
    LiveRow,
    full_slice,
    gaps_slice,
    measure_hardened_live,
    registry_missing,
)
from tests.fakes.registry import missing_tool


def _row(setup: str, call: str, phase: str) -> LiveRow:
    return LiveRow(
        setup, call, phase, checks=0, heads=0, lists=0, challenges=0, logged=0, refused=0, hub=0, ms=1.0, ms_runs=[1.0],
        answer_bytes=100,
    )


def test_the_goal_counts_checks_against_distinct_equivalents_plus_lists_and_says_challenges_apart() -> None:
    report = LiveReport(0.0, 1)
    for setup in SETUPS:
        for call in CALLS:
            for phase in PHASES:
                report.rows.append(_row(setup, call, phase))
    cold = report.row("full", "suggest", "cold")
    cold.checks, cold.challenges, cold.distinct, cold.missing_images = 4, 4, 3, 1
    gaps = report.row("gaps", "review", "cold")
    gaps.checks, gaps.distinct, gaps.missing_images = 5, 3, 1
    report.row("gaps", "suggest", "warm").challenges = 1
    verdicts = {line.split(":")[0]: ok for ok, line in report.goals()}
    assert verdicts["suggest, full, cold"] is True  # 4 <= 3 + 1: the 4 challenges do not count against it
    assert verdicts["review, gaps, cold"] is False  # 5 > 3 + 1
    assert verdicts["suggest, gaps, warm"] is False  # a warm call sends nothing, not even a challenge
    assert verdicts["suggest, no login"] is True
    report.row("no login", "review", "cold").checks = 1
    assert not dict((line.split(":")[0], ok) for ok, line in report.goals())["review, no login"]


async def test_through_the_servers_wiring_only_a_login_asks_and_the_answers_name_what_the_registry_holds() -> None:
    problem = registry_missing()
    if problem:
        missing_tool(problem)
    report = await measure_hardened_live(latency=0.0, runs=1)
    assert len(report.rows) == len(SETUPS) * len(CALLS) * len(PHASES)
    assert report.log_agrees
    gaps = {f"dhi.io/{image}:{tag}" for image, tags in gaps_slice().items() for tag in tags}
    full = {f"dhi.io/{image}:{tag}" for image, tags in full_slice().items() for tag in tags}
    for row in report.rows:
        assert row.refused == 0, row  # nothing but the dhi.io stand-in and the fake Hub was asked
        sent = row.checks + row.challenges
        if row.setup in ("no login", "off") or row.phase != "cold":
            assert sent == 0, row
        else:
            assert row.heads >= row.distinct > 0 and row.lists >= row.missing_images, row
        if row.setup == "off":
            assert row.named == 0 and not row.source, row
        elif row.setup == "no login":
            assert row.named > 0 and row.verified == 0 and "no login for dhi.io" in row.source, row
        else:
            assert row.verified == row.named > 0 and "checked live on dhi.io" in row.source, row
            assert set(row.references) <= (gaps if row.setup == "gaps" else full), row
    assert report.row("gaps", "suggest", "cold").lists >= 1  # the newest python lines are missing: a tag list
    assert report.row("full", "suggest", "cold").lists == 0
