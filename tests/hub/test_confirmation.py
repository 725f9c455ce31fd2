"""hub_mcp.hub.confirmation: only a yes deletes, and every no says how to confirm."""

from __future__ import annotations

import pytest

from hub_mcp.hub.confirmation import DeletionFacts, decide, typed_matches

REPO = DeletionFacts("repository", "alice/app", ("3 tag(s), every image in them: v3, v2, v1", "last push: 2026-11-20"))
TAG = DeletionFacts("tag", "alice/app:v1", ("platforms: linux/amd64",))


def test_only_an_accepted_tick_or_the_typed_reference_deletes() -> None:
    assert decide(REPO, "accepted", said_yes=True).go
    assert decide(REPO, "not_asked", confirm="alice/app").go
    assert decide(REPO, "not_asked", confirm="  alice/app ").go
    assert decide(TAG, "not_asked", confirm="alice/app:v1").go
    assert decide(REPO, "accepted", said_yes=True, confirm="alice/app").go


@pytest.mark.parametrize(
    ("outcome", "said_yes", "confirm", "says"),
    [
        ("accepted", False, None, "did not tick"),
        ("declined", False, None, "declined"),
        ("cancelled", False, None, "cancelled"),
        ("not_asked", False, None, "cannot ask the person"),
        ("not_asked", False, "app", "confirm was 'app'"),
        ("not_asked", False, "alice/app:latest", "not 'alice/app'"),
        ("not_asked", False, "ALICE/APP", "not 'alice/app'"),
        ("accepted", True, "alice/other", "not 'alice/app'"),  # a mismatch wins over a yes
    ],
)
def test_every_no_keeps_it_and_says_how_to_confirm(outcome: str, said_yes: bool, confirm: str | None, says: str) -> None:
    decision = decide(REPO, outcome, said_yes=said_yes, confirm=confirm)  # type: ignore[arg-type]
    assert not decision.go
    assert decision.message.startswith("Nothing was deleted") and says in decision.message
    if outcome in ("not_asked",) or confirm:
        assert "confirm='alice/app'" in decision.message


def test_question_shows_exactly_what_goes_and_is_stable() -> None:
    question = REPO.question()
    assert question.startswith("Delete the Docker Hub repository alice/app? This cannot be undone.")
    assert "- 3 tag(s), every image in them: v3, v2, v1\n- last push: 2026-11-20" in question
    assert question == REPO.question()
    assert TAG.question().startswith("Delete the tag alice/app:v1?")
    assert TAG.tool == "delete_tag" and REPO.tool == "delete_repository"


def test_typed_matches_is_exact() -> None:
    assert typed_matches("alice/app", "alice/app")
    assert not typed_matches(None, "alice/app")
    assert not typed_matches("alice/app/", "alice/app")
    assert not typed_matches("docker.io/alice/app", "alice/app")
