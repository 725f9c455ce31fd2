"""The strict reading of rate-limit headers: the numbers are the headers' own, or unknown with the reason quoting
what came. Both readings Docker's documents leave open (a quota with ';w=' and a bare count) are taken as written."""

from __future__ import annotations

import pytest

from hub_mcp.net.http import RATE_HEADER_CHARS
from hub_mcp.ratelimit.headers import Quota, Unknown, parse_count, parse_quota, parse_reset, parse_source
from hub_mcp.ratelimit.status import LOW_LEFT, LOW_PERCENT, is_low, read_api, read_pulls

DOCUMENTED = {  # [documented: docs.docker.com/docker-hub/usage/pulls/, "View pull rate and limit"]
    "ratelimit-limit": "100;w=21600",
    "ratelimit-remaining": "20;w=21600",
    "docker-ratelimit-source": "192.0.2.1",
}


@pytest.mark.parametrize(
    ("value", "quota"),
    [
        ("100;w=21600", Quota(100, 21600)),  # the documented form
        ("100", Quota(100, None)),  # a bare count: the window is not known, not assumed to be 6 hours
        (" 76 ; w=21600 ", Quota(76, 21600)),  # optional white space around the parts
        ("0;w=21600", Quota(0, 21600)),
        ('100;w=21600;comment="pulls"', Quota(100, 21600)),  # the IETF draft's other parameters are ignored
        ("100;W=3600", Quota(100, 3600)),  # parameter names are case-insensitive
    ],
)
def test_a_quota_reads_as_written(value: str, quota: Quota) -> None:
    assert parse_quota("ratelimit-limit", value) == quota


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("lots", "does not start with a count"),
        ("-5;w=21600", "does not start with a count"),
        ("1.5;w=21600", "not a count with ';name=value' parameters"),
        ("100;w=six-hours", "window w is not a number of seconds"),
        ("100;w=0", "window w is not a number of seconds"),
        ("100;w=21600;w=3600", "gives 'w' twice"),
        ("100, 100;w=21600", "a list of values"),  # the draft's list of policies, or the header sent twice
        ("", "does not start with a count"),
        ("9" * 16, "does not start with a count"),
        ("1" * (RATE_HEADER_CHARS + 1), f"longer than {RATE_HEADER_CHARS} characters"),
    ],
)
def test_a_malformed_quota_is_unknown_with_the_reason(value: str, words: str) -> None:
    found = parse_quota("ratelimit-remaining", value)
    assert isinstance(found, Unknown) and words in found.reason
    assert found.reason.startswith("ratelimit-remaining")


def test_counts_and_resets_are_plain_numbers_only() -> None:
    assert parse_count("X-RateLimit-Limit", " 180 ") == 180
    for bad in ("180;w=60", "1e3", "0x10", "+5", "five"):
        found = parse_count("X-RateLimit-Limit", bad)
        assert isinstance(found, Unknown) and repr(bad) in found.reason
    assert parse_reset("X-RateLimit-Reset", "1767225600") == 1767225600.0
    for bad in ("0", "99999999999999", "Thu, 01 Jan 2026 00:00:00 GMT", "1767225600.5"):
        assert isinstance(parse_reset("X-RateLimit-Reset", bad), Unknown), bad


def test_the_source_is_shown_as_sent_or_refused() -> None:
    assert parse_source("192.0.2.1") == "192.0.2.1"
    assert parse_source("2600:3c00::") == "2600:3c00::"
    for bad in ("", "two words", "a" * 65, "x\x00y"):
        assert isinstance(parse_source(bad), Unknown), bad


def test_documented_pull_headers_give_the_documented_numbers() -> None:
    reading = read_pulls(DOCUMENTED)
    assert (reading.state, reading.limit, reading.remaining, reading.window, reading.source) == (
        "known", 100, 20, 21600, "192.0.2.1")
    assert reading.problems == [] and reading.low is False


def test_pull_headers_without_a_window_give_the_counts_and_no_window() -> None:
    reading = read_pulls({"ratelimit-limit": "100", "ratelimit-remaining": "20"})
    assert (reading.state, reading.limit, reading.remaining, reading.window, reading.source) == (
        "known", 100, 20, None, None)


def test_no_pull_headers_is_not_limited_and_a_lone_source_is_unknown() -> None:
    assert read_pulls({}).state == "not_limited"
    lone = read_pulls({"docker-ratelimit-source": "192.0.2.1"})
    assert lone.state == "unknown" and "neither ratelimit-limit nor ratelimit-remaining" in lone.problems[0]


def test_one_malformed_pull_header_keeps_the_other_number_and_says_why() -> None:
    reading = read_pulls({**DOCUMENTED, "ratelimit-remaining": "lots;w=21600"})
    assert reading.state == "unknown" and reading.limit == 100 and reading.remaining is None
    assert reading.window == 21600 and "'lots;w=21600'" in reading.problems[0] and reading.low is None
    missing = read_pulls({"ratelimit-limit": "100;w=21600"})
    assert missing.state == "unknown" and missing.problems == ["ratelimit-remaining was not sent"]


def test_inconsistent_pull_headers_are_not_trusted() -> None:
    more = read_pulls({"ratelimit-limit": "10;w=3600", "ratelimit-remaining": "20;w=3600"})
    assert more.state == "unknown" and more.limit is None and more.remaining is None
    windows = read_pulls({"ratelimit-limit": "100;w=21600", "ratelimit-remaining": "20;w=3600"})
    assert windows.state == "known" and windows.window is None and "different windows" in windows.problems[0]


def test_api_headers_read_exactly_and_refuse_what_is_not_a_number() -> None:
    reading = read_api({"x-ratelimit-limit": "180", "x-ratelimit-remaining": "17", "x-ratelimit-reset": "1767225600"})
    assert (reading.state, reading.limit, reading.remaining, reading.reset_at) == ("known", 180, 17, 1767225600.0)
    assert reading.low is True  # 17 of 180 is under a tenth
    bad = read_api({"x-ratelimit-limit": "180", "x-ratelimit-remaining": "12.5", "x-ratelimit-reset": "soon"})
    assert bad.state == "unknown" and bad.limit == 180 and bad.remaining is None and bad.reset_at is None
    assert "X-RateLimit-Remaining is '12.5'" in bad.problems[0] and "X-RateLimit-Reset is 'soon'" in bad.problems[1]
    assert read_api({}).problems[0] == "X-RateLimit-Limit was not sent"


@pytest.mark.parametrize(
    ("limit", "remaining", "low"),
    [
        (100, 10, True),  # a tenth
        (100, 11, False),
        (200, 20, True),
        (200, 21, False),
        (10, 5, True),  # LOW_LEFT whatever the limit
        (10, 6, False),
        (None, 5, True),
        (None, 6, False),
        (100, 0, True),
    ],
)
def test_low_is_the_named_rule(limit: int | None, remaining: int, low: bool) -> None:
    assert (LOW_LEFT, LOW_PERCENT) == (5, 10)
    assert is_low(limit, remaining) is low
