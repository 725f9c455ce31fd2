"""The hardened equivalent of an official image's tag and what moving to it changes in a Dockerfile.

:func:`equivalent_for` reads the official tag with :func:`hub_mcp.vocab.tags.parse_tag` (version,
distro family: ``-alpine``, ``-bookworm``/``-trixie``, Debian when the tag names none, Ubuntu ->
Debian), asks :func:`hub_mcp.hardened.table.equivalent`, and derives the Dockerfile consequences
from the facts of the DHI tag (its variant and user), not from per-image text. The rules are
``../shared/docs/security-facts.md`` (DHI section) [documented: docker/docs
content/manuals/dhi/migration/ "runtime variants run as non-root, no shell, no package manager;
-dev for build stages; no latest tag"; pulling from dhi.io needs a Docker login].

Pure: no network. The table loads on the first call (never at import).
"""

from __future__ import annotations

from collections.abc import Collection

from hub_mcp.hardened.table import DhiTag, Stage, counterpart, equivalent, table_info
from hub_mcp.vocab.tags import parse_tag

__all__ = ["equivalent_for", "migration_changes", "provenance"]

#: Official images whose own tags are versions of a distro of that family (``alpine:3.22``).
_DISTRO_IMAGES = {"alpine": "alpine", "debian": "debian", "ubuntu": "debian"}


def _split_reference(reference_or_repo: str, tag_or_version: str | None) -> tuple[str, str | None]:
    text = reference_or_repo.strip().split("@", 1)[0]
    base, sep, tag = text.rpartition(":")
    if sep and base and "/" not in tag:
        return base, tag_or_version or tag
    return text, tag_or_version


def equivalent_for(
    reference_or_repo: str, tag_or_version: str | None, stage: Stage, *, available: Collection[str] | None = None
) -> tuple[DhiTag, list[str]] | None:
    """The DHI tag to use instead of an official image's tag, and what changes for the Dockerfile.

    ``reference_or_repo`` is ``python`` or ``python:3.12-slim-bookworm`` (its tag is used when
    ``tag_or_version`` is None); ``tag_or_version`` is an official tag (``3.12-alpine``) or a
    version (``3.12``). ``stage`` is ``runtime`` (the final stage: the runtime variant) or
    ``build`` (the ``-dev`` variant). None for an image without a DHI counterpart, a tag on
    another distro (ubi, Windows), or a line DHI has nothing near. ``available``: only these tags
    of the DHI image (the ones its registry listed) may be answered.
    """
    repository, tag = _split_reference(reference_or_repo, tag_or_version)
    name = counterpart(repository)
    if name is None:
        return None
    parsed = parse_tag(tag) if tag else None
    if parsed is not None and parsed.windows:
        return None
    short = repository.lower().removeprefix("docker.io/").removeprefix("library/")
    own_family = _DISTRO_IMAGES.get(short)
    musl = "alpine" if parsed is not None and parsed.libc == "musl" else None  # busybox:1.37-musl is not Debian
    family = (parsed.distro_family if parsed else None) or own_family or musl or "debian"
    version: str | tuple[int, ...] | None = parsed.version if parsed and parsed.version and not parsed.is_dated else None
    distro_version = parsed.distro_version if parsed and parsed.distro_family in ("debian", "alpine") else None
    if own_family == "debian" and version is None and parsed is not None and parsed.distro not in (None, "debian"):
        version = parsed.distro  # debian:trixie -> debian-base's trixie line
    if own_family is not None and version is not None and not isinstance(version, str):
        distro_version = ".".join(map(str, version))  # alpine:3.22: the version is the distro's
    if short == "ubuntu":
        version, distro_version = None, None  # Ubuntu releases are not Debian's: the newest Debian line
    found = equivalent(repository, version, family, stage, distro_version=distro_version, available=available)
    if found is None:
        return None
    return found, migration_changes(found)


def migration_changes(tag: DhiTag) -> list[str]:
    """What moving to ``tag`` changes in a Dockerfile, from its facts (variant, user)."""
    changes: list[str] = []
    if tag.runs_as_root:
        changes.append(f"{tag.variant} variant runs as root with a shell and package manager: for build stages only")
    else:
        who = tag.run_as or "a non-root user"
        changes.append(
            f"runs as {who}, not root: give copied files to it (COPY --chown) and listen on ports above 1024"
        )
    if tag.variant == "runtime":
        changes.append(
            "no shell and no package manager: do RUN steps in a -dev stage and COPY the results (multi-stage)"
        )
    changes.append("no 'latest' tag: pin a version tag")
    changes.append("pulling needs 'docker login dhi.io'")
    return changes


def provenance() -> str:
    """Where the equivalents come from, for an answer's note."""
    info = table_info()
    return f"from the bundled DHI catalog of {info.get('taken')}, not checked live"
