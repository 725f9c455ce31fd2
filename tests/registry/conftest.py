"""Fixtures for the registry client tests. The real registries (``registry``, ``auth_registry``)
are session fixtures in ``tests/conftest.py``, shared with the tool tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from hub_mcp.net.http import HttpClient
from tests.conftest import AUTH_PASSWORD, AUTH_USER, TAGS, Pushed  # noqa: F401  (re-exported for the tests here)


async def _no_sleep(_: float) -> None:
    return None


@pytest.fixture
async def http() -> AsyncIterator[HttpClient]:
    async with HttpClient(max_retries=1, retry_max_wait=1, sleep=_no_sleep) as client:
        yield client


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()
