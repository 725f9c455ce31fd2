"""Repositories with many tags for the cleanup tests, in the fake Hub's catalog.

The tag fields follow Hub's tag list [documented: ../shared/docs/hub-api.md, Tags: ``digest``, ``tag_last_pushed``,
``tag_last_pulled`` (null when Hub records no pull), ``full_size``]. The dates, digests and the shares below are
made up for the tests [assumed]: each tag's facts are chosen from its index so that a test can compute the right
plan on its own.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from tests.fakes.hub import FakeHub

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=timezone.utc)


@dataclass(frozen=True)
class Spec:
    name: str
    digest: str
    pushed_days: int  # days before NOW
    pulled_days: int | None  # None: Hub records no pull
    size: int


def digest_of(text: str) -> str:
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def many(n: int) -> list[Spec]:
    """``n`` tags: build-<i> pushed i days ago; every 7th never pulled, others pulled (i % 40) days ago; every 10th
    shares its digest with the tag after it; plus latest (the newest build) and v1..v3 release tags, old."""
    specs = []
    for i in range(n):
        shared = i - 1 if i % 10 == 1 else i
        specs.append(Spec(f"build-{i}", digest_of(f"image-{shared}"), i, None if i % 7 == 0 else i % 40, 1000 + i))
    specs.append(Spec("latest", digest_of("image-0"), 0, 0, 1000))
    specs += [Spec(f"v{k}", digest_of(f"release-{k}"), 400 + k, 300, 5000) for k in (1, 2, 3)]
    return specs


def add_repository(hub: FakeHub, namespace: str, name: str, specs: list[Spec]) -> None:
    """``namespace/name`` with exactly ``specs`` as its tags (copies of an existing tag, facts replaced)."""
    hub.catalog.add(_repository(hub, namespace, name))
    template = next(repo.tags[0] for repo in hub.catalog.repositories if repo.tags)
    repo = hub.catalog.get(namespace, name)
    assert repo is not None
    repo.tags = []
    for spec in specs:
        tag = template.copy()
        tag.name = spec.name
        tag.digest = spec.digest
        pushed = (NOW - timedelta(days=spec.pushed_days)).strftime("%Y-%m-%dT%H:%M:%S.000000Z")
        tag.last_updated = tag.tag_last_pushed = pushed
        tag.tag_last_pulled = (
            (NOW - timedelta(days=spec.pulled_days)).strftime("%Y-%m-%dT%H:%M:%S.000000Z")
            if spec.pulled_days is not None
            else None
        )
        for image in tag.images:
            image.size = spec.size
        repo.tags.append(tag)


def _repository(hub: FakeHub, namespace: str, name: str):  # type: ignore[no-untyped-def]
    source = next(repo for repo in hub.catalog.repositories if repo.namespace == namespace)
    clone = source.copy()
    clone.name = name
    clone.id = max(r.id for r in hub.catalog.repositories) + 1
    clone.is_private = False
    return clone
