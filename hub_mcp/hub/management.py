"""Managing Docker Hub: namespaces, repository lists, and the writes (create, update, delete).

Plain async Python over :class:`HubClient`; nothing here knows about MCP. Every write refuses
clearly before anything is sent when it can tell it would fail: a bad repository name, no
credentials, rejected credentials, a repository the account may only read. A refusal Hub sends
(403) is explained with what this account is in that namespace (owner, editor, member), so the
model can tell the person the fix. Deletions only gather :class:`DeletionFacts` here; asking the
person is the server layer's job (:mod:`hub_mcp.hub.confirmation` decides), and only a yes reaches
:meth:`HubManagement.delete_repository` / :meth:`HubManagement.delete_tag`.
"""

from __future__ import annotations

import re
from typing import Any

from hub_mcp.answers.views import (
    DeletionResult,
    NamespaceList,
    NamespaceRow,
    RepositoryChange,
    RepositoryListResult,
    RepositoryRow,
)
from hub_mcp.errors import Forbidden, InvalidInput, NotFound, Unauthorized
from hub_mcp.hub.auth import TOKEN_PAGE, HubAuth
from hub_mcp.hub.client import HubClient
from hub_mcp.hub.confirmation import DeletionFacts
from hub_mcp.hub.health import status_name
from hub_mcp.hub.models import Organization, Repository
from hub_mcp.hub.ordering import RepositoryOrder, TagOrder
from hub_mcp.hub.queries import PAGE_SIZE_MAX, RepositoryQuery, TagQuery
from hub_mcp.vocab.common import day, one_line, quoted
from hub_mcp.vocab.references import image_platform, parse_hub_repository, parse_namespace

#: [documented: hub-api.md, Repositories] repository names: 2–255 characters of this grammar.
NAME_RE = re.compile(r"^[a-z0-9]+(?:[._-][a-z0-9]+)*$")
NAME_MIN, NAME_MAX = 2, 255
DESCRIPTION_MAX = 100  # [documented: hub-api.md, Repositories]
README_MAX = 25_000  # [documented: hub-api.md, Repositories]
NAMESPACES_MAX = 100  # organizations listed; more are counted in ``omitted``
ORG_PAGES_MAX = 5  # pages of /v2/user/orgs/ read (100 each)
FACT_TAGS = 10  # tag names shown in a repository's deletion facts
#: What ``status`` may be set to, and the integer Hub stores [documented: hub-api.md, Repositories
#: (status ints)]; that PATCH accepts these values is [assumed].
SETTABLE_STATUS = {"active": 1, "archived": 6}
#: Roles that may create and change repositories in an organization [assumed: Docker's docs name
#: owners and editors; members get rights per repository through teams].
WRITING_ROLES = frozenset({"owner", "editor"})


def check_repository_name(name: str) -> str:
    """The name as Hub will take it, or an :class:`InvalidInput` with a name that would do."""
    if NAME_MIN <= len(name) <= NAME_MAX and NAME_RE.match(name):
        return name
    suggestion = re.sub(r"[^a-z0-9._-]+", "-", name.strip().lower())
    suggestion = re.sub(r"[._-]{2,}", "-", suggestion).strip("._-")[:NAME_MAX]
    hint = f" e.g. {suggestion!r}" if len(suggestion) >= NAME_MIN and NAME_RE.match(suggestion) else ""
    raise InvalidInput(
        f"{name[:60]!r} is not a valid Docker Hub repository name: use {NAME_MIN}-{NAME_MAX} lowercase letters and"
        f" digits, with single '.', '_' or '-' between them,{hint or ' e.g. my-app'}. Nothing was sent."
    )


def _role(value: str | None) -> str | None:
    return value.strip().lower() if value and value.strip() else None


class HubManagement:
    """The management side of Docker Hub, as the tools need it."""

    def __init__(self, client: HubClient) -> None:
        self.client = client

    @property
    def auth(self) -> HubAuth:
        return self.client.auth

    # --- who am I, where may I write --------------------------------------------------------

    def _account(self, what: str) -> str:
        """The personal namespace of the credentials (the JWT's claim once logged in; an organization's
        name for an organization token), or the error that says how to configure them."""
        if not self.auth.enabled:
            raise Unauthorized(
                f"{what} needs Docker Hub credentials: set HUB_USERNAME and HUB_PAT_TOKEN (an access token), or run"
                " `docker login`, then restart the server."
            )
        return str(self.auth.namespace or self.auth.username).lower()

    async def _organizations(self) -> list[Organization]:
        organizations: list[Organization] = []
        for page in range(1, ORG_PAGES_MAX + 1):
            found = await self.client.list_organizations(page=page, page_size=PAGE_SIZE_MAX)
            organizations.extend(found.results)
            if not found.next or not found.results:
                break
        return organizations

    async def role_in(self, namespace: str) -> str | None:
        """This account's role in ``namespace`` (owner for the personal one), None when unknown."""
        if not self.auth.enabled:
            return None
        account = str(self.auth.namespace or self.auth.username).lower()
        if namespace == account:
            return "organization token" if self.auth.organization_token else "owner"
        if self.auth.organization_token:
            return None
        try:
            organizations = await self._organizations()
        except (Forbidden, Unauthorized, NotFound):
            return None
        for org in organizations:
            if org.orgname.lower() == namespace:
                return _role(org.user_role) or "member"
        return None

    async def _explain_refusal(self, exc: Forbidden, namespace: str, action: str) -> Forbidden:
        """Hub's 403 for a write, said with what the account is in that namespace."""
        if exc.pat_restricted:
            return exc
        role = await self.role_in(namespace)
        if role in ("owner", "organization token"):  # its own namespace: only the token's scope can be short
            need = "Read, Write & Delete" if action.startswith("delete") else "Read & Write"
            said = f": {exc.detail}" if exc.detail else ""
            return Forbidden(
                f"Docker Hub refused to {action} (HTTP 403{said}): the access token's scope is too low. A read-only"
                f" or public-repo-only token cannot {'delete' if action.startswith('delete') else 'write'}: create"
                f" one with {need} scope at {TOKEN_PAGE}; then {self.auth.fix}.",
                detail=exc.detail,
            )
        if role == "member":
            account = self.auth.username
            return Forbidden(
                f"Cannot {action}: {account} is only a member of the organization {namespace}, without write rights"
                f" there, and Docker Hub refused (HTTP 403). Ask an owner of {namespace} to do it, or to make"
                f" {account} an editor or give one of {account}'s teams write access.",
                detail=exc.detail,
            )
        return exc

    def _read_only_refusal(self, repo: Repository, reference: str, action: str, role: str | None) -> Forbidden | None:
        """A clear refusal before anything is sent when Hub says this account may only read the repository."""
        permissions = repo.permissions
        if permissions is None or permissions.write is not False:
            return None
        account = self.auth.username
        as_role = f" (its role in {repo.namespace}: {role})" if role else ""
        return Forbidden(
            f"Cannot {action}: {account}{as_role} may read {reference} but not change it, so nothing was sent."
            f" Ask an owner of {repo.namespace} to do it or to give {account} write access to {reference}."
        )

    # --- reads ------------------------------------------------------------------------------

    async def list_namespaces(self) -> NamespaceList:
        account = self._account("Listing namespaces")
        if self.auth.organization_token:
            return NamespaceList(
                account=account,
                namespaces=[NamespaceRow(name=account, kind="organization", role="organization token", can_create=True)],
                note="An organization access token acts for its organization only.",
            )
        status = await self.auth.status()  # logs in: a rejection says so here, with the fix
        if not status.usable:
            raise Unauthorized(f"Cannot list namespaces. {status.reason or 'Docker Hub rejected the credentials.'}")
        account = str(status.namespace or account).lower()
        rows = [NamespaceRow(name=account, kind="personal", role="owner", can_create=True)]
        note = None
        try:
            organizations = await self._organizations()
        except Forbidden as exc:
            organizations = []
            note = (
                "Docker Hub did not list your organizations with this token"
                + (" (it refuses logins made from personal access tokens on that endpoint)" if exc.pat_restricted else "")
                + ": only the personal namespace is shown. list_repositories still works for an organization by name."
            )
        organizations.sort(key=lambda org: org.orgname)
        for org in organizations[:NAMESPACES_MAX]:
            role = _role(org.user_role)
            rows.append(
                NamespaceRow(
                    name=org.orgname,
                    kind="organization",
                    role=role,
                    can_create=(role in WRITING_ROLES) if role else None,
                )
            )
        omitted = len(organizations) - NAMESPACES_MAX
        return NamespaceList(account=account, namespaces=rows, omitted=omitted if omitted > 0 else None, note=note)

    async def list_repositories(
        self,
        namespace: str | None = None,
        *,
        name: str | None = None,
        ordering: RepositoryOrder | str = RepositoryOrder.NEWEST,
        limit: int = 25,
        page: int = 1,
    ) -> RepositoryListResult:
        namespace = parse_namespace(namespace) if namespace and namespace.strip() else ""
        if not namespace:
            if not self.auth.enabled:
                raise InvalidInput(
                    "Give namespace (a user or organization, e.g. 'bitnami'); to list your own repositories without"
                    " naming the namespace, set HUB_USERNAME and HUB_PAT_TOKEN and restart the server."
                )
            namespace = self._account("Listing repositories")
        order = RepositoryOrder(ordering)
        query = RepositoryQuery(namespace, page=page, page_size=limit, name_filter=name, order=order)
        try:
            found = await self.client.list_repositories(query)
        except NotFound:
            if page == 1:
                raise
            found = None  # Hub answers a page past the end with 404 [assumed, as for tags]
        if page > 1 and (found is None or not found.results):
            first = await self.client.list_repositories(RepositoryQuery(namespace, page_size=limit, name_filter=name))
            pages = max(1, -(-first.count // limit))
            raise InvalidInput(
                f"Page {page} is past the end: {namespace} has {first.count} matching repositories, {pages} page(s)"
                f" of {limit}. Ask for page {pages} or lower."
            )
        assert found is not None
        rows = [
            RepositoryRow(
                name=repo.name,
                private=True if repo.is_private else None,  # absent: public
                status=self._status(repo),
                description=one_line(repo.description, 100),
                pulls=repo.pull_count,
                stars=repo.star_count,
                last_updated=day(repo.last_updated),
            )
            for repo in found.results
        ]
        has_more = bool(found.next) or page * limit < found.count
        note = found.ordering_note
        if not rows and not name:
            note = note or f"{namespace} has no repositories this account can see."
        return RepositoryListResult(
            namespace=namespace,
            total=found.count,
            page=page,
            order=query.order.value,
            repositories=rows,
            next_page=page + 1 if has_more and rows else None,
            note=note,
        )

    @staticmethod
    def _status(repo: Repository) -> str | None:
        """The status only when it is worth a word (not active)."""
        if repo.status in (None, 1):
            return None
        return status_name(repo.status, repo.status_description)

    # --- create / update --------------------------------------------------------------------

    async def create_repository(
        self,
        name: str,
        *,
        namespace: str | None = None,
        description: str | None = None,
        readme: str | None = None,
        private: bool = False,
    ) -> RepositoryChange:
        name = check_repository_name(name.strip())
        description, readme = self._texts(description, readme)
        namespace = (
            parse_namespace(namespace) if namespace and namespace.strip() else self._account("Creating a repository")
        )
        reference = f"{namespace}/{name}"
        try:
            repo = await self.client.create_repository(
                namespace, name, description=description or "", full_description=readme or "", private=private
            )
        except Forbidden as exc:
            raise await self._explain_refusal(exc, namespace, f"create {reference}") from None
        return RepositoryChange(
            repository=reference,
            action="created",
            private=repo.is_private if repo.is_private is not None else private,
            description=one_line(repo.description, 100) if repo.description else (description or None),
            status=self._status(repo),
            message=f"Created {'private' if private else 'public'} repository {reference}. Push with"
            f" 'docker push {reference}:<tag>'.",
        )

    async def update_repository(
        self,
        repository: str,
        *,
        description: str | None = None,
        readme: str | None = None,
        status: str | None = None,
    ) -> RepositoryChange:
        ref = parse_hub_repository(repository)
        reference = f"{ref.namespace}/{ref.name}"
        description, readme = self._texts(description, readme)
        fields: dict[str, Any] = {}
        if description is not None:
            fields["description"] = description
        if readme is not None:
            fields["full_description"] = readme
        if status is not None:
            if status not in SETTABLE_STATUS:
                raise InvalidInput(f"status must be one of {', '.join(SETTABLE_STATUS)} (got {quoted(status)}).")
            fields["status"] = SETTABLE_STATUS[status]
        if not fields:
            raise InvalidInput("Nothing to update: give description, readme or status. Nothing was sent.")
        action = f"update {reference}"
        await self.client.write_headers(action)
        current = await self.client.get_repository(ref.namespace, ref.name)
        refusal = self._read_only_refusal(current, reference, action, await self._role_if_limited(current))
        if refusal:
            raise refusal
        try:
            repo = await self.client.update_repository(ref.namespace, ref.name, fields)
        except Forbidden as exc:
            raise await self._explain_refusal(exc, ref.namespace, action) from None
        sent = ["readme" if key == "full_description" else key for key in fields]
        return RepositoryChange(
            repository=reference,
            action="updated",
            changed=sent,
            private=repo.is_private,
            status=self._status(repo) or (status if status else None),
            description=one_line(repo.description, 100),
            message=f"Updated {', '.join(sent)} of {reference}; nothing else was changed.",
        )

    async def _role_if_limited(self, repo: Repository) -> str | None:
        if repo.permissions is None or repo.permissions.write is not False:
            return None
        return await self.role_in(repo.namespace)

    @staticmethod
    def _texts(description: str | None, readme: str | None) -> tuple[str | None, str | None]:
        if description is not None and len(description) > DESCRIPTION_MAX:
            raise InvalidInput(
                f"description is {len(description)} characters; Docker Hub takes at most {DESCRIPTION_MAX}:"
                " shorten it (put details in readme). Nothing was sent."
            )
        if readme is not None and len(readme) > README_MAX:
            raise InvalidInput(
                f"readme is {len(readme)} characters; Docker Hub takes at most {README_MAX}. Shorten it. Nothing was sent."
            )
        return description, readme

    # --- deletions --------------------------------------------------------------------------

    async def repository_deletion(self, repository: str) -> DeletionFacts:
        """What deleting ``repository`` removes (tag count and newest tags, last push, pulls), after the
        checks that would make it fail: credentials, existence, write rights."""
        ref = parse_hub_repository(repository)
        reference = f"{ref.namespace}/{ref.name}"
        await self.client.write_headers(f"delete {reference}")
        self.client.forget(ref.namespace, ref.name)  # the person is shown what Hub holds now, not a cached copy
        repo = await self.client.get_repository(ref.namespace, ref.name)
        refusal = self._read_only_refusal(repo, reference, f"delete {reference}", await self._role_if_limited(repo))
        if refusal:
            raise refusal
        tags = await self.client.list_tags(
            TagQuery(ref.namespace, ref.name, page_size=FACT_TAGS, order=TagOrder.NEWEST)
        )
        names = [tag.name for tag in tags.results][:FACT_TAGS]
        if tags.count:
            more = tags.count - len(names)
            listed = ", ".join(names) + (f" and {more} more" if more > 0 else "")
            tag_line = f"{tags.count} tag(s), every image in them: {listed}"
        else:
            tag_line = "no tags"
        lines = [
            tag_line,
            f"last push: {day(repo.last_updated) or 'never'}",
            f"pulls: {repo.pull_count if repo.pull_count is not None else 'unknown'}",
            f"{'private' if repo.is_private else 'public'} repository, its description, README and settings",
        ]
        return DeletionFacts("repository", reference, tuple(lines))

    async def tag_deletion(self, repository: str, tag: str) -> DeletionFacts:
        """What deleting one tag removes (its platforms, digest, last push)."""
        ref = parse_hub_repository(repository)
        if ref.digest:
            raise InvalidInput("delete_tag takes a tag, not a digest; give the tag name (e.g. 'v1.2.0').")
        tag = tag.strip()
        if ref.tag and ref.tag != tag:
            raise InvalidInput(f"Two different tags were given: {quoted(ref.tag)} in repository and {quoted(tag)} in tag. Give one.")
        reference = f"{ref.namespace}/{ref.name}:{tag}"
        await self.writable(ref.namespace, ref.name, reference, f"delete {reference}")
        found = await self.client.get_tag(ref.namespace, ref.name, tag)
        platforms = sorted({str(image_platform(i)) for i in found.platform_images})
        lines = [
            f"platforms: {', '.join(platforms) if platforms else 'none listed'}",
            f"last push: {day(found.last_pushed) or 'unknown'}",
        ]
        if found.digest:
            lines.append(f"digest: {found.digest} (other tags pointing at it stay)")
        return DeletionFacts("tag", reference, tuple(lines))

    async def writable(self, namespace: str, name: str, reference: str, action: str) -> Repository:
        """The repository as Hub holds it now (the cache dropped: a person is shown what is there), once this login
        may write to it; else the sentence that says why not (no credentials, rejected ones, a read-only role)."""
        await self.client.write_headers(action)
        self.client.forget(namespace, name)
        repo = await self.client.get_repository(namespace, name)
        refusal = self._read_only_refusal(repo, reference, action, await self._role_if_limited(repo))
        if refusal:
            raise refusal
        return repo

    async def explain_refusal(self, exc: Forbidden, namespace: str, action: str) -> Forbidden:
        """Hub's 403 for a write, in a sentence that names the likely cause (scope, role)."""
        return await self._explain_refusal(exc, namespace, action)

    async def delete_repository(self, facts: DeletionFacts) -> DeletionResult:
        namespace, name = facts.reference.split("/", 1)
        try:
            await self.client.delete_repository(namespace, name)
        except Forbidden as exc:
            raise await self._explain_refusal(exc, namespace, f"delete {facts.reference}") from None
        return DeletionResult(
            reference=facts.reference,
            deleted=True,
            what_goes=list(facts.what_goes),
            message=f"Deleted the repository {facts.reference} from Docker Hub, with everything listed in what_goes.",
        )

    async def delete_tag(self, facts: DeletionFacts) -> DeletionResult:
        repository, tag = facts.reference.rsplit(":", 1)
        namespace, name = repository.split("/", 1)
        try:
            await self.client.delete_tag(namespace, name, tag)
        except Forbidden as exc:
            raise await self._explain_refusal(exc, namespace, f"delete {facts.reference}") from None
        return DeletionResult(
            reference=facts.reference,
            deleted=True,
            what_goes=list(facts.what_goes),
            message=f"Deleted the tag {facts.reference} from Docker Hub.",
        )
