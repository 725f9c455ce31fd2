"""Answers to the read questions (search, repository, tags), built from Hub calls.

Plain async Python: validates arguments, calls :class:`HubClient` (concurrently where one
answer needs several calls), and maps upstream models to the compact views the model reads.
Nothing here knows about MCP.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterable, Sequence
from datetime import date
from typing import Any

from hub_mcp.answers.views import (
    ImageHit,
    Lifecycle,
    PlatformImage,
    RepositoryInfo,
    SearchImagesResult,
    TagInfo,
    TagListResult,
    TagRow,
    TagSuggestion,
)
from hub_mcp.errors import HubMCPError, InvalidInput, NotFound
from hub_mcp.hub import health
from hub_mcp.hub.client import SEARCH_MAX_WINDOW, HubClient
from hub_mcp.hub.models import Repository, SearchResult, Tag, TagImage, TagPage
from hub_mcp.hub.ordering import TagOrder
from hub_mcp.hub.queries import TagQuery
from hub_mcp.vocab import lifecycle
from hub_mcp.vocab.common import day, one_line, quoted, utc_today
from hub_mcp.vocab.references import DEFAULT_PLATFORM, ImageReference, Platform, image_platform, parse_hub_repository
from hub_mcp.vocab.tags import closest_tags, newer_in_line, non_production, parse_tag

NEWEST_PAGE_SIZE = 100  # tags fetched to judge staleness and find alternatives
TRUST_BY_BADGE = {None: "community", "none": "community", "": "community"}


def _hardened_reference(name: str) -> str | None:
    """``dhi.io/<image>`` for a hardened search hit, as DHI images are pulled [documented: security-facts.md, DHI
    naming: "Community images: dhi.io/<image>:<tag>"]; Hub's bare name would pull another image from docker.io.
    How Hub names these hits is not documented [assumed, both read]: the image's own name (``python``) or under
    a namespace (``dhi/python``). An image newer than the bundled catalog is named the same way. An organization's
    mirror (``acme/dhi-python`` [documented: security-facts.md, DHI naming]) keeps its name: that is the copy its
    members can pull; so does a hit under any other namespace (None: nothing is made up)."""
    namespace, _, last = name.rpartition("/")
    if namespace and (last.startswith("dhi-") or namespace not in ("dhi", "dhi.io")):
        return None
    return f"dhi.io/{last}"


def pick_image(images: Iterable[TagImage], wanted: Platform | None) -> TagImage | None:
    """The image for the wanted platform, else linux/amd64, else the first one."""
    images = list(images)
    for target in ([wanted] if wanted else []) + [DEFAULT_PLATFORM]:
        for image in images:
            if target.matches(image_platform(image)):
                return image
    return None if wanted else (images[0] if images else None)


class _TagPool:
    """Tags seen while answering one question, with the repository's newest push as the yardstick."""

    def __init__(self, tags: Iterable[Tag]) -> None:
        self.tags = {t.name: t for t in tags}
        self.newest_push = max((t.last_pushed for t in self.tags.values() if t.last_pushed), default=None)

    def is_stale(self, tag: Tag) -> bool | None:
        """True when the tag was pushed long before the repository's newest push (None: unknown)."""
        return health.is_stale(tag.last_pushed, self.newest_push)

    def maintained(self) -> list[str]:
        return [name for name, t in self.tags.items() if self.is_stale(t) is False]


DERIVED_ANSWERS = 256
"""get_tag answers kept beside the cached upstream answers they were made from."""


class HubService:
    """The read side of Docker Hub, as the tools need it."""

    def __init__(self, client: HubClient, *, today: Callable[[], date] | None = None) -> None:
        self.client = client
        self._today = today or utc_today
        # get_tag answers derived from cached upstream answers: (reference, tag) -> (inputs, today, answer)
        self._derived: OrderedDict[tuple[str, str], tuple[tuple[object, ...], date, TagInfo]] = OrderedDict()

    # --- search -------------------------------------------------------------------------

    async def search_images(
        self,
        query: str,
        *,
        badges: Sequence[str] | None = None,
        architecture: str | None = None,
        os: str | None = None,
        limit: int = 10,
        page: int = 1,
    ) -> SearchImagesResult:
        query = query.strip()
        if not query:
            raise InvalidInput("The search query is empty: give a word such as 'python' or 'postgres'.")
        offset = (page - 1) * limit
        if offset + limit > SEARCH_MAX_WINDOW:
            raise InvalidInput(
                f"Docker Hub search shows only the first {SEARCH_MAX_WINDOW} results; page {page} with limit {limit}"
                " is past that. Narrow the query or use badges/architecture filters instead."
            )
        arch = Platform.parse(architecture).architecture if architecture else None
        found = await self.client.search(
            query,
            badges=[("none" if b == "community" else b) for b in badges] if badges else None,
            architectures=[arch] if arch else None,
            operating_systems=[os] if os else None,
            offset=offset,
            size=limit,
        )
        hits = [self._hit(result) for result in found.results]
        hits = self._exact_first(query, hits)
        note = None
        if page == 1 and not badges and not arch and not os and not self._has_exact(query, hits):
            exact = await self._exact_repository(query)
            if exact is not None:
                hits = [exact, *hits][:limit]
        if not hits:
            note = (
                f"No repository matches {quoted(query)} on page {page}." + (" Remove filters or " if (badges or arch or os) else " ")
                + "Try a shorter or different word."
            )
        has_more = offset + len(found.results) < min(found.total, SEARCH_MAX_WINDOW)
        return SearchImagesResult(
            query=query,
            total=found.total,
            page=page,
            results=hits,
            next_page=page + 1 if has_more and found.results else None,
            note=note,
        )

    @staticmethod
    def _hit(result: SearchResult) -> ImageHit:
        name = result.name.removeprefix("library/")
        badge = result.badge
        trust = TRUST_BY_BADGE.get(badge, badge) if badge not in (None, "none", "") else "community"
        if result.type == "dhi" or badge == "hardened":  # a Docker Hardened Image: pulled from dhi.io
            trust = "hardened"
            name = _hardened_reference(name) or name
        pulls = result.pull_count
        return ImageHit(
            reference=name,
            trust=str(trust),
            description=one_line(result.short_description),
            pulls=str(pulls) if pulls is not None else None,
            stars=result.star_count,
            last_updated=day(result.updated_at),
            architectures=sorted({a.name for a in result.architectures if a.name and a.name != "unknown"}) or None,
            archived=True if result.archived else None,
        )

    @staticmethod
    def _names_for(query: str) -> set[str]:
        query = query.lower()
        return {query, query.removeprefix("library/")}

    def _has_exact(self, query: str, hits: list[ImageHit]) -> bool:
        return any(hit.reference in self._names_for(query) for hit in hits)

    def _exact_first(self, query: str, hits: list[ImageHit]) -> list[ImageHit]:
        names = self._names_for(query)
        return sorted(hits, key=lambda hit: hit.reference not in names)  # stable: keeps Hub's order otherwise

    async def _exact_repository(self, query: str) -> ImageHit | None:
        try:
            ref = parse_hub_repository(query)
            repo = await self.client.get_repository(ref.namespace, ref.name)
        except (InvalidInput, NotFound):
            return None
        return ImageHit(
            reference=ref.familiar_name,
            trust="official" if ref.is_official else "unknown",
            description=one_line(repo.description),
            stars=repo.star_count,
            last_updated=day(repo.last_updated),
        )

    # --- repository ---------------------------------------------------------------------

    async def get_repository(
        self, repository: str, *, include_readme: bool = False, readme_max_chars: int = 6000
    ) -> RepositoryInfo:
        ref = parse_hub_repository(repository)
        repo = await self.client.get_repository(ref.namespace, ref.name)
        readme = repo.full_description or ""
        info = RepositoryInfo(
            reference=ref.familiar_name,
            namespace=ref.namespace,
            name=ref.name,
            official=ref.is_official,
            description=one_line(repo.description, 300),
            status=self._status(repo),
            private=repo.is_private,
            stars=repo.star_count,
            pulls=repo.pull_count,
            last_updated=day(repo.last_updated),
            registered=day(repo.date_registered),
            categories=[c.name for c in repo.categories if c.name] or None,
            content_types=repo.content_types or None,
            warnings=self._repository_warnings(repo) or None,
            readme_chars=len(readme) if readme else None,
        )
        if include_readme and readme:
            truncated = len(readme) > readme_max_chars
            info.readme = readme[:readme_max_chars] if truncated else readme
            info.readme_truncated = truncated
        return info

    @staticmethod
    def _status(repo: Repository) -> str | None:
        return health.status_name(repo.status, repo.status_description)

    def _repository_warnings(self, repo: Repository) -> list[str]:
        verdict = health.repository_health(
            today=self._today(),
            status=self._status(repo),
            description=repo.description,
            last_push=repo.last_updated,
        )
        warnings = []
        if not verdict.usable_status:
            warnings.append(f"Repository status is {verdict.status!r}: do not build on it.")
        if verdict.deprecated:
            warnings.append(f"The publisher marks it deprecated: {one_line(verdict.deprecated, 200)!r}.")
        if verdict.unmaintained:
            warnings.append(f"No push since {day(repo.last_updated)}: probably unmaintained.")
        return warnings

    # --- tags ---------------------------------------------------------------------------

    async def list_tags(
        self,
        repository: str,
        *,
        name: str | None = None,
        architecture: str | None = None,
        os: str | None = None,
        ordering: TagOrder | str = TagOrder.NEWEST,
        limit: int = 25,
        page: int = 1,
    ) -> TagListResult:
        ref = parse_hub_repository(repository)
        platform = self._platform(architecture, os)
        query = TagQuery(
            ref.namespace,
            ref.name,
            page=page,
            page_size=limit,
            name_filter=name,
            order=TagOrder(ordering),
            architecture=platform.architecture if architecture else None,
            os=platform.os if (os or architecture) else None,
        )
        try:
            tags = await self.client.list_tags(query)
        except NotFound:
            if page == 1:
                raise
            tags = None  # Hub answers a page past the end with 404 (assumed: it may also send an empty page)
        if page > 1 and (tags is None or not tags.results):
            await self._past_the_end(ref, query)
        assert tags is not None
        wanted = platform if (architecture or os) else None
        rows = []
        for tag in tags.results:
            images = tag.platform_images
            if wanted and images and not any(wanted.matches(image_platform(i)) for i in images):
                continue  # Hub did not apply the platform filter; never show a tag without the platform
            chosen = pick_image(images, wanted)
            rows.append(
                TagRow(
                    name=tag.name,
                    platforms=sorted({str(image_platform(i)) for i in images}),
                    size_bytes=(chosen.size if chosen else None) or (tag.full_size if not wanted else None),
                    last_pushed=day(tag.last_pushed),
                    digest=tag.digest,
                    prerelease=non_production(tag.name),
                )
            )
        if query.order.field == "name":
            # by name, released lines lead the page: 3.14, 3.13 before 3.15.0a1 and 3.15-rc
            rows.sort(key=lambda row: row.prerelease is not None)
        has_more = bool(tags.next) or page * limit < tags.count
        return TagListResult(
            repository=ref.familiar_name,
            total=tags.count,
            page=page,
            order=query.order.value,
            size_platform=str(wanted or DEFAULT_PLATFORM),
            tags=rows,
            next_page=page + 1 if has_more and tags.results else None,
            note=tags.ordering_note,
        )

    async def _past_the_end(self, ref: ImageReference, query: TagQuery) -> None:
        """Raise the error for a page past the end: NotFound for a missing repository, else how many pages there are."""
        limit = query.page_size
        # page 1 by name only (newest first, no platform filter), as before
        first = await self.client.list_tags(
            TagQuery(query.namespace, query.name, page_size=limit, name_filter=query.name_filter)
        )
        pages = max(1, -(-first.count // limit))
        raise InvalidInput(
            f"Page {query.page} is past the end: {ref.familiar_name} has {first.count} matching tags,"
            f" {pages} page(s) of {limit}. Ask for page {pages} or lower."
        )

    @staticmethod
    def _platform(architecture: str | None, os: str | None) -> Platform:
        os_name = (os or "linux").strip().lower()
        if os_name not in ("linux", "windows"):
            raise InvalidInput(f"Unknown os {quoted(os)}: use 'linux' or 'windows'.")
        if not architecture:
            return Platform(os_name, "amd64")
        return Platform.parse(architecture, default_os=os_name)

    async def get_tag(self, repository: str, tag: str | None = None) -> TagInfo:
        ref = parse_hub_repository(repository)
        tag, digest = self.resolve_tag(ref, tag)
        if digest:
            return self.check_digest(await self.get_tag(ref.familiar_name, tag), digest)
        hint = self._name_hint(tag)
        # One round trip: the tag, the newest tags (is the repository still rebuilt?), and the
        # tag's family by name (its line's newer versions, or the closest ones when it is missing).
        # The repository (cached) says whether it is deprecated, and for what.
        calls: list[Awaitable[Any]] = [
            self.client.get_tag(ref.namespace, ref.name, tag),
            self.client.get_repository(ref.namespace, ref.name),
            self.client.list_tags(TagQuery(ref.namespace, ref.name, page_size=NEWEST_PAGE_SIZE, order=TagOrder.NEWEST)),
        ]
        if hint:
            calls.append(
                self.client.list_tags(
                    TagQuery(
                        ref.namespace, ref.name, page_size=NEWEST_PAGE_SIZE, name_filter=hint, order=TagOrder.NEWEST
                    )
                )
            )
        found, repo, *answers = await asyncio.gather(*calls, return_exceptions=True)
        pages: list[TagPage] = []
        for page in answers:
            if isinstance(page, BaseException):
                raise page  # the repository itself is missing, or Hub failed
            pages.append(page)
        if isinstance(repo, HubMCPError):
            repo = None  # the tag's answer stands without what the repository says about itself
        elif isinstance(repo, BaseException):
            raise repo
        # The same upstream objects (from the client's cache) on the same day give the same answer:
        # a warm get_tag then costs no re-ranking of a hundred tags.
        inputs, today, memo_key = (found, repo, *pages), self._today(), (ref.familiar_name, tag)
        memo = self._derived.get(memo_key)
        if memo is not None and memo[1] == today and all(a is b for a, b in zip(memo[0], inputs, strict=True)):
            self._derived.move_to_end(memo_key)
            return memo[2]
        info = await self._get_tag_from(ref, tag, found, repo, pages)
        if not pages[0].ordering_note:
            self._derived[memo_key] = (inputs, today, info)
            while len(self._derived) > DERIVED_ANSWERS:
                self._derived.popitem(last=False)
        return info

    async def _get_tag_from(
        self, ref: ImageReference, tag: str, found: Tag | BaseException, repo: Repository | None, pages: list[TagPage]
    ) -> TagInfo:
        known = _TagPool(t for page in pages for t in page.results)
        note = None
        health_of = self._health(ref, repo)
        if pages[0].ordering_note:
            # Hub did not sort by date: the page is not "the newest tags", so the repository's own
            # last push is the yardstick for staleness.
            if repo is None:
                repo = await self.client.get_repository(ref.namespace, ref.name)
            if repo.last_updated and (known.newest_push is None or repo.last_updated > known.newest_push):
                known.newest_push = repo.last_updated
            note = (
                "Docker Hub did not list tags newest first, so staleness was judged against the repository's"
                " last push and the tags listed here may miss newer ones."
            )
        if isinstance(found, NotFound):
            info = self._missing_tag(ref, tag, known, health_of)
        elif isinstance(found, BaseException):
            raise found
        else:
            info = self._existing_tag(ref, found, known, health_of)
        return info.model_copy(update={"note": note}) if note else info

    @staticmethod
    def resolve_tag(ref: ImageReference, tag: str | None) -> tuple[str, str | None]:
        """The one tag asked for, from the tag argument or the reference, and the digest given with
        it (``3.12@sha256:…``, which :meth:`check_digest` compares with the tag's); refuse two
        different tags or digests, and a digest without a tag."""
        digest = ref.digest
        if tag is not None:
            tag = tag.strip()
            checked = ImageReference.parse(f"{ref.familiar_name}:{tag}")  # validates the tag (and digest) grammar
            if ref.tag and ref.tag != checked.tag:
                raise InvalidInput(
                    f"Two different tags were given: {quoted(ref.tag)} in repository and {quoted(tag)} in tag. Give one."
                )
            if digest and checked.digest and digest != checked.digest:
                raise InvalidInput(
                    f"Two different digests were given: {digest} in repository and {checked.digest} in tag. Give one."
                )
            digest = digest or checked.digest
            tag = checked.tag or tag
        else:
            tag = ref.tag
        if tag:
            return tag, digest
        if digest:
            raise InvalidInput(
                f"get_tag checks a tag, and {ref.familiar} names only a digest: give the tag too"
                f" (e.g. '{ref.familiar_name}:3.12@{digest}'), or read the image with inspect_image."
            )
        raise InvalidInput("No tag given: pass tag (e.g. '3.12-slim') or write repository as 'python:3.12-slim'.")

    @staticmethod
    def check_digest(info: TagInfo, digest: str | None) -> TagInfo:
        """The answer for a tag asked with a digest (``3.12@sha256:…``): whether the tag points at
        that digest now, its index or one platform's image (``digest_matches``), said first in the
        message. Neither Docker Hub's tag API nor the registry API tells a tag's past digests, so a
        digest the tag does not point at is never called an older build of it: it could not be verified."""
        if digest is None or not info.exists:
            return info
        reference = info.reference or f"{info.repository}:{info.tag}"
        platform = next((p.platform for p in info.platforms or [] if p.digest == digest), None)
        matches: bool | None = digest == info.digest or platform is not None
        if digest == info.digest:
            said = f"{reference} points at the digest you gave."
        elif platform is not None:
            said = (
                f"The digest you gave is {reference}'s {platform} image, not its multi-platform index:"
                f" a FROM pinned to it builds only for {platform}; pin {info.pinned_reference or info.digest}."
            )
        elif info.digest is None:
            matches = None
            said = f"The digest you gave ({digest}) could not be checked: the registry gave none for {reference}."
        else:
            said = (
                f"{reference} now points at {info.digest}, not the digest you gave ({digest}), and hub-mcp cannot read"
                " a tag's past digests, so whether yours was ever a build of it could not be verified"
                + (f": to pin the tag's current build write {info.pinned_reference}." if info.pinned_reference else ".")
            )
        return info.model_copy(update={"digest_matches": matches, "message": f"{said} {info.message}"})

    def _health(self, ref: ImageReference, repo: Repository | None) -> health.RepositoryHealth | None:
        """What the repository says about itself (deprecated, and for what; unmaintained); None unread."""
        if repo is None:
            return None
        return health.repository_health(
            today=self._today(),
            description=repo.description,
            last_push=repo.last_updated,
            readme=repo.full_description,
            repository=ref.repository,
        )

    def _existing_tag(
        self, ref: ImageReference, tag: Tag, known: _TagPool, repo: health.RepositoryHealth | None
    ) -> TagInfo:
        images = tag.platform_images
        stale = known.is_stale(tag)
        # the tag, or a tag of the same image (tomee:11 is 11.0.0-M1; ubuntu:26.10 is devel), marks a development line
        aliases = [t.name for t in known.tags.values() if tag.digest and t.digest == tag.digest]
        development = next((word for name in (tag.name, *aliases) if (word := non_production(name))), None)
        verdict = health.line_verdict(
            ref.repository,
            tag.name,
            self._today(),
            stale=stale,
            last_pushed=tag.last_pushed,
            repo=repo,
            development=development,
        )
        # a deprecated repository's newer lines are no way out: its successors are (in the verdict)
        deprecated = repo is not None and repo.deprecated is not None
        offerable = [] if deprecated else self._offerable(ref, tag.name, known.maintained())
        newer = newer_in_line(tag.name, offerable)[::-1][:5]  # newest first
        reference = ref.with_tag(tag.name).familiar
        message = f"{reference} exists for {len(images)} platform(s)"
        if stale:
            message += (
                f", but it was last pushed {day(tag.last_pushed)} while the repository was pushed on"
                f" {day(known.newest_push)}: it no longer gets rebuilds (security fixes)."
            )
        else:
            message += "."
        message += verdict.sentences(skip_stale=True) if verdict else ""
        if newer:
            message += f" Prefer {', '.join(newer[:3])}." if verdict else f" Newer versions of the same variant: {', '.join(newer[:3])}."
        elif verdict and not deprecated:
            message += " Prefer a maintained, supported tag (see list_tags)."
        return TagInfo(
            repository=ref.familiar_name,
            tag=tag.name,
            exists=True,
            reference=reference,
            pinned_reference=ref.with_tag(tag.name, tag.digest).familiar if tag.digest else None,
            digest=tag.digest,
            aliases=_aliases(tag.name, aliases),
            last_pushed=day(tag.last_pushed),
            platforms=[
                PlatformImage(platform=str(image_platform(i)), size_bytes=i.size, digest=i.digest)
                for i in sorted(images, key=lambda i: str(image_platform(i)))
            ],
            stale=stale,
            prerelease=development,
            newer_on_line=newer or None,
            lifecycle=Lifecycle.of(verdict),
            message=message,
        )

    def _missing_tag(
        self, ref: ImageReference, tag: str, known: _TagPool, repo: health.RepositoryHealth | None
    ) -> TagInfo:
        maintained = known.maintained()
        pool = self._offerable(ref, tag, maintained or list(known.tags))
        runtime = lifecycle.runtime_name_for_repository(ref.repository)
        precision = lifecycle.line_precision(runtime) if runtime else None
        names = closest_tags(tag, pool, limit=5, line_precision=precision)
        alternatives = [TagSuggestion(tag=n, last_pushed=day(known.tags[n].last_pushed)) for n in names]
        reference = ref.with_tag(tag).familiar
        verdict = health.line_verdict(ref.repository, tag, self._today(), repo=repo)
        if names:
            kind = "maintained, supported tags" if maintained and runtime else "maintained tags" if maintained else "tags"
            message = (
                f"{reference} does not exist. Closest {kind}: {', '.join(names)}."
                " Use one of these; do not guess another tag."
            )
        else:
            message = f"{reference} does not exist, and no similar tag was found. Use list_tags to see what exists."
        return TagInfo(
            repository=ref.familiar_name,
            tag=tag,
            exists=False,
            alternatives=alternatives or None,
            lifecycle=Lifecycle.of(verdict),
            message=message + (verdict.sentences() if verdict else ""),
        )

    def _offerable(self, ref: ImageReference, wanted: str, names: Iterable[str]) -> list[str]:
        """Tags fit to offer instead of ``wanted``: no tag not meant for production (a prerelease, a
        development build: unless ``wanted`` is one), and only production lines (not past end of
        life, not a non-LTS line where LTS lines exist: :func:`health.production_line`)."""
        today = self._today()
        allow_pre = non_production(wanted) is not None
        return [
            name
            for name in names
            if (allow_pre or non_production(name) is None) and health.production_line(ref.repository, name, today)
        ]

    @staticmethod
    def _name_hint(tag: str) -> str | None:
        """A substring for Hub's name filter that narrows to the wanted tag's family."""
        pieces = tag.split("-")
        words = [p for p in pieces[1:] if p and not p[0].isdigit()]
        if words:
            return max(words, key=len)
        first = pieces[0].lstrip("v")
        if first[:1].isdigit():
            return first.split(".")[0] + "." if "." in first else first
        return None


MAX_ALIASES = 8


def _aliases(name: str, aliases: list[str]) -> list[str] | None:
    """The other tags of the same digest, the most precise versions first (then the shorter name), at most
    :data:`MAX_ALIASES`; None when there are none."""
    others = sorted({a for a in aliases if a != name}, key=lambda a: (-parse_tag(a).precision, len(a), a))
    return others[:MAX_ALIASES] or None
