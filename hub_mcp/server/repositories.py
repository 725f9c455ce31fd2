"""Toolset: repositories: facts, lists, and managing your own (create, update, delete).

The two deletions ask the person before anything goes. Resolvers (SDK 2.x ``Resolve``) run
before the tool body: the first gathers what will go (:class:`DeletionFacts`, refusing at once
without credentials, for a missing repository or one this account may only read); the second
asks the person through elicitation with exactly that, when the client can elicit and no
mismatched ``confirm`` was given. The body then lets :func:`hub_mcp.hub.confirmation.decide` rule:
only an accepted "delete" or, for a client that cannot elicit, a typed ``confirm`` equal to the
full reference, reaches the delete call.

A client without the elicitation capability is never sent a question: the SDK would answer that
with a protocol error (``MISSING_REQUIRED_CLIENT_CAPABILITY``, nothing deleted, but nothing
explained either), so the resolver checks the capability first and the answer says how to
confirm.
"""

import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Annotated, Literal

from mcp.server.elicitation import AcceptedElicitation, CancelledElicitation, DeclinedElicitation, ElicitationResult
from mcp.server.mcpserver import Context, Elicit, Resolve
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import CallToolResult
from pydantic import Field

from hub_mcp.answers.views import (
    CleanupPlan,
    CleanupResult,
    DeletionResult,
    RepositoryChange,
    RepositoryInfo,
    RepositoryListResult,
)
from hub_mcp.cleanup.plan import Rules
from hub_mcp.errors import HubMCPError
from hub_mcp.hub.confirmation import ConfirmDeletion, DeletionFacts, Outcome, decide, typed_matches
from hub_mcp.server.args import (
    Confirm,
    Description,
    Namespace,
    OwnRepository,
    Page,
    Readme,
    Repository,
    RepositoryOrdering,
    Tag,
    strict_string,
)
from hub_mcp.server.host import ToolHost
from hub_mcp.server.results import CREATE, DELETE, READ_ONLY, UPDATE, call_seconds, respond, within_deadline

if TYPE_CHECKING:
    from hub_mcp.services import Services

log = logging.getLogger("hub_mcp.server.repositories")


class NotAsked:
    """A resolver's plain answer: the person was not asked (the client cannot elicit, or ``confirm``
    already does not match). The framework passes it on as an accepted value; :func:`outcome_of`
    tells it apart from a real answer."""


NOT_ASKED = NotAsked()


def can_elicit(ctx: Context) -> bool:
    """The client declared form elicitation (the SDK's own test: a bare ``elicitation: {}`` counts)."""
    try:
        capabilities = ctx.client_capabilities
    except Exception:  # no request context: nobody to ask
        return False
    elicitation = capabilities.elicitation if capabilities is not None else None
    return elicitation is not None and (elicitation.form is not None or elicitation.url is None)


def outcome_of(answer: ElicitationResult[ConfirmDeletion]) -> tuple[Outcome, bool]:
    """What came back from the asking resolver, and whether it was a ticked yes."""
    if isinstance(answer, AcceptedElicitation):
        data = answer.data
        if isinstance(data, ConfirmDeletion):
            return "accepted", data.delete is True
        return "not_asked", False
    if isinstance(answer, DeclinedElicitation):
        return "declined", False
    if isinstance(answer, CancelledElicitation):
        return "cancelled", False
    return "not_asked", False


async def _facts(ctx: Context, gather: "Callable[[Services], Awaitable[DeletionFacts]]") -> DeletionFacts:
    """What a deletion removes, read within the call's deadline like any answer."""
    try:
        facts, _ = await within_deadline(ctx, gather)
    except HubMCPError as exc:
        raise ToolError(str(exc)) from None
    return facts


def _ask(ctx: Context, facts: DeletionFacts, confirm: str | None) -> Elicit[ConfirmDeletion] | NotAsked:
    if confirm is not None and not typed_matches(confirm, facts.reference):
        return NOT_ASKED  # refused without bothering the person
    if not can_elicit(ctx):
        return NOT_ASKED
    return Elicit(facts.question(), ConfirmDeletion)


# Resolvers, module-level so that their wire keys are stable (module:qualname).


async def repository_facts(ctx: Context, repository: str) -> DeletionFacts:
    return await _facts(ctx, lambda s: s.repository_deletion(repository))


async def ask_repository_deletion(
    ctx: Context, facts: Annotated[DeletionFacts, Resolve(repository_facts)], confirm: str | None
) -> Elicit[ConfirmDeletion] | NotAsked:
    return _ask(ctx, facts, confirm)


async def tag_facts(ctx: Context, repository: str, tag: str) -> DeletionFacts:
    return await _facts(ctx, lambda s: s.tag_deletion(repository, tag))


async def ask_tag_deletion(
    ctx: Context, facts: Annotated[DeletionFacts, Resolve(tag_facts)], confirm: str | None
) -> Elicit[ConfirmDeletion] | NotAsked:
    return _ask(ctx, facts, confirm)


async def cleanup_facts(ctx: Context, plan_id: str) -> DeletionFacts:
    return await _facts(ctx, lambda s: s.cleanup_confirmation(plan_id))


async def ask_cleanup(
    ctx: Context, facts: Annotated[DeletionFacts, Resolve(cleanup_facts)], confirm: str | None
) -> Elicit[ConfirmDeletion] | NotAsked:
    return _ask(ctx, facts, confirm)


Patterns = Annotated[
    list[Annotated[str, Field(min_length=1, max_length=128)]] | None,
    Field(max_length=20, description="Shell globs on tag names, e.g. ['v*', 'release-*'] (at most 20)."),
]
Days = Annotated[int | None, Field(ge=0, le=36500)]


async def _delete(
    ctx: Context,
    facts: DeletionFacts,
    answer: ElicitationResult[ConfirmDeletion],
    confirm: str | None,
    delete: "Callable[[Services, DeletionFacts], Awaitable[DeletionResult]]",
) -> CallToolResult:
    outcome, said_yes = outcome_of(answer)
    decision = decide(facts, outcome, said_yes=said_yes, confirm=confirm)
    log.info("%s %s: %s%s", facts.tool, facts.reference, outcome, " (yes)" if decision.go else " (kept)")
    if not decision.go:

        async def kept(_: "Services") -> DeletionResult:
            return DeletionResult(
                reference=facts.reference, deleted=False, what_goes=list(facts.what_goes), message=decision.message
            )

        return await respond(ctx, kept)
    return await respond(ctx, lambda s: delete(s, facts))

TOOLSET = "repositories"


def register(server: ToolHost) -> None:
    @server.tool(title="Docker Hub repository facts", annotations=READ_ONLY)
    async def get_repository(
        ctx: Context,
        repository: Repository,
        include_readme: Annotated[bool, Field(description="Also return the README (markdown), cut to readme_max_chars.")] = False,
        readme_max_chars: Annotated[int, Field(ge=200, le=20000, description="Most README characters to return.")] = 6000,
    ) -> Annotated[CallToolResult, RepositoryInfo]:
        """Facts about one Docker Hub repository: description, official or not, status, pulls,
        stars, last update, categories, and warnings (archived, deprecated, unmaintained).

        The README is large; ask for it (include_readme=true) only when you need usage details
        such as environment variables or volumes. It is cut to readme_max_chars and says so.
        """
        return await respond(
            ctx,
            lambda s: s.get_repository(repository, include_readme=include_readme, readme_max_chars=readme_max_chars),
        )

    @server.tool(title="List a namespace's repositories", annotations=READ_ONLY)
    async def list_repositories(
        ctx: Context,
        namespace: Namespace = None,
        name: Annotated[
            str | None,
            Field(max_length=100, description="Only repositories whose name contains this text."),
            strict_string("name", '"api"'),
        ] = None,
        ordering: Annotated[
            RepositoryOrdering,
            Field(description="newest = most recently pushed first; oldest; most_pulled; least_pulled; name (A-Z); name_desc."),
        ] = "newest",
        limit: Annotated[int, Field(ge=1, le=100, description="Repositories per page.")] = 25,
        page: Page = 1,
    ) -> Annotated[CallToolResult, RepositoryListResult]:
        """List the repositories of a Docker Hub namespace (a user or an organization), one compact
        row each: name, private or not, status when not active, description, pulls, stars, last push.

        Private repositories are included when the configured credentials may see them. Use
        page/next_page for more; get_repository gives one repository's details.
        """
        return await respond(
            ctx,
            lambda s: s.list_repositories(namespace, name=name, ordering=ordering, limit=limit, page=page),
        )

    @server.tool(title="Create a repository", annotations=CREATE)
    async def create_repository(
        ctx: Context,
        name: Annotated[
            str,
            Field(
                min_length=1,
                max_length=255,
                description="New repository name: 2-255 lowercase letters and digits with single '.', '_' or '-'"
                " between them, e.g. 'my-app'.",
            ),
            strict_string("name", '"my-app"'),
        ],
        namespace: Namespace = None,
        description: Description = None,
        readme: Readme = None,
        private: Annotated[bool, Field(description="Create it private (only permitted accounts see it).")] = False,
    ) -> Annotated[CallToolResult, RepositoryChange]:
        """Create a Docker Hub repository in your namespace or an organization's.

        The name is checked before anything is sent; a repository that already exists is
        refused (nothing is overwritten). Needs credentials with Read & Write scope; in an
        organization, an owner or editor role (see list_namespaces).
        """
        return await respond(
            ctx,
            lambda s: s.create_repository(
                name, namespace=namespace, description=description, readme=readme, private=private
            ),
        )

    @server.tool(title="Update a repository", annotations=UPDATE)
    async def update_repository(
        ctx: Context,
        repository: OwnRepository,
        description: Description = None,
        readme: Readme = None,
        status: Annotated[
            Literal["active", "archived"] | None,
            Field(description="Set the status: active or archived. Leave it out to keep the status as it is."),
        ] = None,
    ) -> Annotated[CallToolResult, RepositoryChange]:
        """Change a repository's description, README or status. Only the fields you give are sent;
        everything else (including the status) stays as it is.

        Needs credentials with Read & Write scope and write rights on the repository.
        """
        return await respond(
            ctx,
            lambda s: s.update_repository(repository, description=description, readme=readme, status=status),
        )

    @server.tool(title="Delete a tag", annotations=DELETE)
    async def delete_tag(
        ctx: Context,
        repository: OwnRepository,
        tag: Tag,
        facts: Annotated[DeletionFacts, Resolve(tag_facts)],
        answer: Annotated[ElicitationResult[ConfirmDeletion], Resolve(ask_tag_deletion)],
        confirm: Confirm = None,
    ) -> Annotated[CallToolResult, DeletionResult]:
        """Delete one tag of a repository, after the person confirms.

        The person is asked (the question shows the tag's platforms, digest and last push);
        nothing is deleted unless they say yes. A client that cannot ask returns deleted=false
        with what would go: show it to the person and, only if they agree, call again with
        confirm set to the full reference 'namespace/name:tag'. Other tags pointing at the same
        image stay. Needs a token with Read, Write & Delete scope.
        """
        return await _delete(ctx, facts, answer, confirm, lambda s, f: s.delete_tag(f))

    @server.tool(title="Plan a tag cleanup (nothing is deleted)", annotations=READ_ONLY)
    async def plan_tag_cleanup(
        ctx: Context,
        repository: OwnRepository,
        older_than_days: Annotated[Days, Field(description="Delete only tags last pushed more than N days ago.")] = None,
        not_pulled_days: Annotated[
            Days, Field(description="Delete only tags not pulled for N days (one with no recorded pull: idle since its push).")
        ] = None,
        keep: Annotated[Patterns, Field(description="Never delete tags matching these globs, e.g. ['v*'].")] = None,
        consider: Annotated[
            Patterns, Field(description="Only tags matching these globs are considered, e.g. ['pr-*'] (default: all).")
        ] = None,
        keep_newest: Annotated[
            int, Field(ge=0, le=10000, description="Keep the N most recently pushed of the considered tags.")
        ] = 0,
        include_latest: Annotated[bool, Field(description="Also consider 'latest' (kept by default).")] = False,
    ) -> Annotated[CallToolResult, CleanupPlan]:
        """Plan which tags of a Docker Hub repository to delete, by rules; deletes nothing.

        Give at least one of older_than_days, not_pulled_days or keep_newest. Rules combine: a tag
        is deleted only when every rule given says so. Never deleted: tags matching keep, 'latest'
        unless include_latest, and a tag whose image (digest) a kept tag also points at. The
        answer lists the tags to delete (oldest first) with dates, digests and sizes, the tags
        kept grouped by reason, the bytes freed, and a plan_id: pass it to apply_tag_cleanup,
        which asks the person once and deletes exactly this list.
        """
        return await respond(
            ctx,
            lambda s: s.plan_tag_cleanup(
                repository,
                Rules(
                    older_than_days=older_than_days,
                    not_pulled_days=not_pulled_days,
                    keep=tuple(keep or ()),
                    consider=tuple(consider or ()),
                    keep_newest=keep_newest,
                    include_latest=include_latest,
                ),
            ),
        )

    @server.tool(title="Apply a tag cleanup plan", annotations=DELETE)
    async def apply_tag_cleanup(
        ctx: Context,
        plan_id: Annotated[
            str,
            Field(min_length=1, max_length=40, description="The plan_id plan_tag_cleanup answered, e.g. 'cleanup-3f9a…'."),
            strict_string("plan_id", '"cleanup-0123456789abcdef"'),
        ],
        facts: Annotated[DeletionFacts, Resolve(cleanup_facts)],
        answer: Annotated[ElicitationResult[ConfirmDeletion], Resolve(ask_cleanup)],
        confirm: Annotated[
            str | None,
            Field(
                max_length=40,
                description="Only for clients that cannot ask the person: the plan_id typed out again, after the"
                " person said yes to the plan.",
            ),
        ] = None,
    ) -> Annotated[CallToolResult, CleanupResult]:
        """Delete exactly the tags of a cleanup plan, after the person confirms the whole plan once.

        A tag moved to another image since the plan is skipped and reported; one already gone
        counts as done, so running it again after a partial failure or a timeout only finishes
        the rest. Progress is reported per tag. A client that cannot ask returns applied=false:
        show the person the plan and, only if they agree, call again with confirm set to the
        plan_id. Needs a token with Read, Write & Delete scope.
        """
        outcome, said_yes = outcome_of(answer)
        decision = decide(facts, outcome, said_yes=said_yes, confirm=confirm)
        log.info("apply_tag_cleanup %s: %s%s", facts.reference, outcome, " (yes)" if decision.go else " (kept)")
        if not decision.go:

            async def kept(_: "Services") -> CleanupResult:
                return CleanupResult(
                    repository=facts.repository, plan_id=facts.reference, applied=False, message=decision.message
                )

            return await respond(ctx, kept)

        async def progress(done: float, total: float, message: str) -> None:
            await ctx.report_progress(done, total, message)

        within = call_seconds(ctx)
        return await respond(ctx, lambda s: s.apply_tag_cleanup(plan_id, within=within, progress=progress))

    @server.tool(title="Delete a repository", annotations=DELETE)
    async def delete_repository(
        ctx: Context,
        repository: OwnRepository,
        facts: Annotated[DeletionFacts, Resolve(repository_facts)],
        answer: Annotated[ElicitationResult[ConfirmDeletion], Resolve(ask_repository_deletion)],
        confirm: Confirm = None,
    ) -> Annotated[CallToolResult, DeletionResult]:
        """Delete a whole repository with all its tags and images, after the person confirms.

        The person is asked (the question shows the tag count and newest tags, last push and
        pulls); nothing is deleted unless they say yes. A client that cannot ask returns
        deleted=false with what would go: show it to the person and, only if they agree, call
        again with confirm set to the full reference 'namespace/name'. This cannot be undone.
        Needs a token with Read, Write & Delete scope.
        """
        return await _delete(ctx, facts, answer, confirm, lambda s, f: s.delete_repository(f))
