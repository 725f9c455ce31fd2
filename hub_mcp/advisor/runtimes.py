"""What the advisor knows about each runtime: where its images live and how their tags read.

An :class:`ImageFamily` is the images of one runtime (python, node, postgres, alpine, ...): it
says which Docker Hub repositories carry the runtime (Java lives in
``eclipse-temurin``, not the removed ``openjdk``), the version precision people should pin
(``python:3.13`` but ``node:24``), which variant tokens fit a runtime stage (``slim``, ``jre``)
or a build stage (the full image, ``jdk``), and how much musl (alpine) tends to hurt.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ImageFamily:
    """The images of one runtime and how to choose among them (not :class:`hub_mcp.runtime.Runtime`,
    which holds a server process's clients)."""

    name: str
    repositories: tuple[str, ...]
    lifecycle: str | None = None  # key of the lifecycle table
    precision: int = 2  # version components of the series tag to pin (python 3.13 → 2, node 24 → 1)
    runtime_variants: frozenset[str] = frozenset({"slim"})  # tokens that fit a runtime stage
    build_variants: frozenset[str] = frozenset()  # tokens that fit a build stage (empty: the full image)
    musl_risk: float = 0.5  # 0..1: how likely alpine's musl breaks this runtime's native dependencies
    aliases: tuple[str, ...] = ()
    runtime_stage_repositories: tuple[str, ...] = ()  # compiled languages: run the binary on a small OS image
    support_precision: int | None = None  # judge support on this many version components (rust: the rolling "1")
    note: str | None = None
    deprecated_repositories: dict[str, str] = field(default_factory=dict)  # repository → why
    registry: str | None = None
    """Where the images live when not on Docker Hub (``mcr.microsoft.com``): ``repositories`` are
    paths there, read through the registry API, which gives tag names but no push dates."""
    build_repositories: tuple[str, ...] = ()
    """Repositories for a build or dev stage when they differ from the runtime ones (.NET's sdk)."""
    publisher: str | None = None
    """Who publishes the images on ``registry`` (it has no trust badges of its own)."""
    variant_notes: dict[str, str] = field(default_factory=dict)
    """Tag token → what to know before using such an image (a warning on the candidate)."""
    restricted_variants: frozenset[str] = frozenset()
    """Tag tokens of images without a shell or package manager (chiseled, distroless): ranked below
    the full image unless the 'small' or 'secure' priority is asked."""
    ships: frozenset[str] = frozenset()
    """What a program gets from the image without installing anything (``ca-certificates``):
    read for the runtime stage of a compiled language (:attr:`stage_needs`)."""
    stage_needs: frozenset[str] = frozenset()
    """What a typical program of this language needs from the image it runs on (Go and Rust
    programs call TLS endpoints: ``ca-certificates``)."""
    narrow_repositories: dict[str, str] = field(default_factory=dict)
    """Repository → what it cannot run, where a sibling runs more (dotnet/runtime has no ASP.NET
    Core): ranked below the sibling, with that warning."""

    def repositories_for(self, purpose: str) -> tuple[str, ...]:
        return self.build_repositories if purpose in ("build", "dev") and self.build_repositories else self.repositories

    def reference_name(self, repository: str) -> str:
        """What ImageReference.parse takes: ``library/python`` or ``mcr.microsoft.com/dotnet/sdk``."""
        return f"{self.registry}/{repository}" if self.registry else repository


_SPECS: tuple[ImageFamily, ...] = (
    ImageFamily("python", ("library/python",), "python", 2, musl_risk=1.0, aliases=("py", "python3", "cpython")),
    ImageFamily(
        "node",
        ("library/node",),
        "node",
        1,
        musl_risk=0.6,
        aliases=("nodejs", "node.js", "javascript", "js", "typescript", "ts"),
    ),
    ImageFamily(
        "go",
        ("library/golang",),
        "golang",
        2,
        runtime_variants=frozenset({"alpine"}),
        musl_risk=0.2,
        aliases=("golang",),
        runtime_stage_repositories=("library/alpine", "library/debian", "library/busybox"),
        stage_needs=frozenset({"ca-certificates"}),
        note="Go compiles to a static binary: build in golang, then copy the binary onto a small image"
        " (alpine, debian slim, busybox) or scratch.",
    ),
    ImageFamily(
        "java",
        # the successors the deprecated openjdk image's notice names, in its order ("alphabetical
        # order with no intentional or implied preference"); tests/advisor check it against the notice
        (
            "library/amazoncorretto",
            "library/eclipse-temurin",
            "library/ibm-semeru-runtimes",
            "library/ibmjava",
            "library/sapmachine",
        ),
        "java",
        1,
        runtime_variants=frozenset({"jre"}),
        build_variants=frozenset({"jdk"}),
        musl_risk=0.4,
        aliases=("jdk", "jre", "openjdk", "temurin", "eclipse-temurin", "kotlin", "scala", "spring"),
        deprecated_repositories={
            "library/openjdk": "The openjdk image is deprecated: it no longer gets builds (only early-access ones)."
            " Its notice names amazoncorretto, eclipse-temurin, ibm-semeru-runtimes, ibmjava and sapmachine.",
        },
    ),
    ImageFamily(
        "rust",
        ("library/rust",),
        "rust",
        1,
        musl_risk=0.3,
        aliases=("cargo",),
        support_precision=1,
        runtime_stage_repositories=("library/debian", "library/alpine"),
        stage_needs=frozenset({"ca-certificates"}),
        note="Rust builds a binary: build in rust, then copy it onto debian slim (or alpine with a musl target).",
    ),
    ImageFamily("php", ("library/php",), "php", 2, runtime_variants=frozenset(), musl_risk=0.3),
    ImageFamily("ruby", ("library/ruby",), "ruby", 2, musl_risk=0.8, aliases=("rails",)),
    ImageFamily(
        "postgres", ("library/postgres",), "postgres", 1, runtime_variants=frozenset(), musl_risk=0.2,
        aliases=("postgresql", "pg"),
    ),
    ImageFamily("mysql", ("library/mysql",), "mysql", 2, runtime_variants=frozenset(), musl_risk=0.2),
    ImageFamily("mariadb", ("library/mariadb",), "mariadb", 2, runtime_variants=frozenset(), musl_risk=0.2),
    ImageFamily("redis", ("library/redis",), "redis", 2, runtime_variants=frozenset(), musl_risk=0.1),
    ImageFamily(
        "mongo", ("library/mongo",), "mongo", 1, runtime_variants=frozenset(), musl_risk=0.2, aliases=("mongodb",)
    ),
    ImageFamily("nginx", ("library/nginx",), None, 2, runtime_variants=frozenset(), musl_risk=0.1),
    ImageFamily(
        "httpd", ("library/httpd",), None, 2, runtime_variants=frozenset(), musl_risk=0.1, aliases=("apache",)
    ),
    # What the OS images carry (``ships``). ASSUMED, not read from a published package list here:
    # alpine's minirootfs includes ca-certificates-bundle; debian's and ubuntu's images install
    # no ca-certificates ("apt-get install ca-certificates" is the usual step); busybox is one
    # binary and its links. A wrong guess changes only a warning and a 0.85 factor on runtime
    # stages; issue 18 (SBOMs) is where this becomes a fact read per image.
    ImageFamily(
        "alpine", ("library/alpine",), "alpine", 2, runtime_variants=frozenset(), musl_risk=0.0,
        ships=frozenset({"ca-certificates"}),
    ),
    ImageFamily("debian", ("library/debian",), "debian", 1, musl_risk=0.0),
    ImageFamily("ubuntu", ("library/ubuntu",), "ubuntu", 2, runtime_variants=frozenset(), musl_risk=0.0),
    ImageFamily("busybox", ("library/busybox",), None, 2, runtime_variants=frozenset(), musl_risk=0.0),
    ImageFamily(
        "dotnet",
        ("dotnet/aspnet", "dotnet/runtime"),
        "dotnet",
        2,
        runtime_variants=frozenset(),
        musl_risk=0.3,
        aliases=(".net", "net", "dotnet-core", "dotnetcore", "aspnet", "asp.net", "aspnetcore", "asp.net-core",
                 "csharp", "c#", "fsharp", "f#"),
        registry="mcr.microsoft.com",
        build_repositories=("dotnet/sdk",),
        publisher="Microsoft",
        variant_notes={
            "chiseled": "chiseled: no shell or package manager, runs as the non-root user 'app' (uid 1654);"
            " without '-extra' it has no ICU or tzdata (globalization-invariant mode)",
        },
        restricted_variants=frozenset({"chiseled", "distroless"}),
        narrow_repositories={
            "dotnet/runtime": "dotnet/runtime has no ASP.NET Core: for console apps and workers; a web app needs"
            " dotnet/aspnet",
        },
        note=".NET images live on Microsoft's registry, not on Docker Hub: mcr.microsoft.com/dotnet/aspnet for"
        " ASP.NET Core apps, mcr.microsoft.com/dotnet/runtime for console apps and workers,"
        " mcr.microsoft.com/dotnet/sdk to build, mcr.microsoft.com/dotnet/runtime-deps for self-contained apps."
        " MCR gives no push dates: whether a tag is still rebuilt cannot be judged there.",
    ),
)

RUNTIMES: dict[str, ImageFamily] = {}
for _spec in _SPECS:
    for _name in (_spec.name, *_spec.aliases):
        RUNTIMES.setdefault(_name, _spec)


def find_runtime(name: str) -> ImageFamily | None:
    """The image family of a runtime name or alias (``golang`` → go, ``nodejs`` → node)."""
    return RUNTIMES.get(name.strip().lower())


def family_for_repository(repository: str, registry: str | None = None) -> ImageFamily | None:
    """The image family whose images live in ``repository`` (``library/eclipse-temurin`` → java) on
    ``registry`` (None: Docker Hub; ``dotnet/sdk`` is .NET only on ``mcr.microsoft.com``)."""
    registry = None if registry in (None, "docker.io") else registry
    for spec in _SPECS:
        if spec.registry != registry:
            continue
        if repository in (*spec.repositories, *spec.build_repositories) or repository in spec.deprecated_repositories:
            return spec
    return None


def known_runtimes() -> list[str]:
    return sorted(spec.name for spec in _SPECS)
