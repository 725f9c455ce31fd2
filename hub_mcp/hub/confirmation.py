"""Confirmation before a deletion: what will go, the question to the person, and the verdict.

Plain logic, no MCP: the server layer (``hub_mcp.server.repositories``) asks the person through
elicitation with :meth:`DeletionFacts.question` and the :class:`ConfirmDeletion` form, or, for a
client that cannot ask, takes the typed ``confirm`` argument; :func:`decide` says whether to
delete and what to tell the model. Nothing is deleted without a yes:

* the person accepted the form and ticked ``delete`` → delete;
* the person declined or cancelled, or accepted without ticking → nothing changes;
* the client cannot ask → delete only when ``confirm`` equals the full reference
  (``owner/repo`` or ``owner/repo:tag``), typed as on Docker Hub's own delete page;
* a ``confirm`` that does not match → nothing changes, whoever could have been asked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Kind = Literal["repository", "tag", "cleanup"]
Outcome = Literal["accepted", "declined", "cancelled", "not_asked"]


class ConfirmDeletion(BaseModel):
    """The form shown to the person (elicitation): one yes/no."""

    model_config = ConfigDict(defer_build=True)  # built when first asked, not at start-up

    delete: bool = Field(title="Delete it for good", description="Tick to delete; this cannot be undone.")


@dataclass(frozen=True)
class DeletionFacts:
    """What a deletion removes, gathered before asking."""

    kind: Kind
    reference: str
    """What the typed confirmation must equal: ``owner/repo``, ``owner/repo:tag``, or a cleanup's plan id."""
    what_goes: tuple[str, ...]
    repository: str = ""
    """The repository it happens in (``owner/repo``), when the reference does not say it (a cleanup's plan id)."""

    @property
    def tool(self) -> str:
        return {"repository": "delete_repository", "tag": "delete_tag", "cleanup": "apply_tag_cleanup"}[self.kind]

    def question(self) -> str:
        """The elicitation message: exactly what will go. Built from dates and counts only, so that
        asking it again (a later round of the same call) words it the same."""
        what = {"repository": "the Docker Hub repository", "tag": "the tag", "cleanup": "the tags of cleanup plan"}[self.kind]
        lines = "\n".join(f"- {line}" for line in self.what_goes)
        return f"Delete {what} {self.reference}? This cannot be undone. What goes:\n{lines}"

    def how_to_confirm(self) -> str:
        return (
            f"To delete it, show the person what goes and, only if they say yes, call {self.tool} again"
            f" with confirm={self.reference!r} (exactly)."
        )


@dataclass(frozen=True)
class Decision:
    go: bool
    message: str


def typed_matches(confirm: str | None, reference: str) -> bool:
    """``confirm`` is the full reference (surrounding spaces aside; case matters: Hub names are lowercase)."""
    return confirm is not None and confirm.strip() == reference


def decide(facts: DeletionFacts, outcome: Outcome, *, said_yes: bool = False, confirm: str | None = None) -> Decision:
    """Whether to delete, and the sentence for the model when not."""
    ref = facts.reference
    if confirm is not None and not typed_matches(confirm, ref):
        return Decision(
            False,
            f"Nothing was deleted: confirm was {confirm.strip()[:300]!r}, not {ref!r}. {facts.how_to_confirm()}",
        )
    if outcome == "accepted":
        if said_yes:
            return Decision(True, "")
        return Decision(
            False,
            f"Nothing was deleted: the person did not tick 'delete' for {ref}. Do not delete it unless they ask again.",
        )
    if outcome == "declined":
        return Decision(
            False, f"Nothing was deleted: the person declined to delete {ref}. Do not retry unless they ask again."
        )
    if outcome == "cancelled":
        return Decision(
            False,
            f"Nothing was deleted: the person cancelled the confirmation for {ref}. If they still want it gone,"
            f" call {facts.tool} again.",
        )
    if typed_matches(confirm, ref):
        return Decision(True, "")
    return Decision(
        False,
        f"Nothing was deleted yet: this client cannot ask the person directly, so {facts.tool} needs a typed"
        f" confirmation. {facts.how_to_confirm()}",
    )
