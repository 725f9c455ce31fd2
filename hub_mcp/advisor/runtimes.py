"""What the advisor knows about each runtime: where its images live and how their tags read.

A :class:`RuntimeSpec` says which Docker Hub repositories carry a runtime (Java lives in
``eclipse-temurin``, not the removed ``openjdk``), the version precision people should pin
(``python:3.13`` but ``node:24``), which variant tokens fit a runtime stage (``slim``, ``jre``)
or a build stage (the full image, ``jdk``), and how much musl (alpine) tends to hurt.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class RuntimeSpec:
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


_SPECS: tuple[RuntimeSpec, ...] = (
    RuntimeSpec("python", ("library/python",), "python", 2, musl_risk=1.0, aliases=("py", "python3", "cpython")),
    RuntimeSpec(
        "node",
        ("library/node",),
        "node",
        1,
        musl_risk=0.6,
        aliases=("nodejs", "node.js", "javascript", "js", "typescript", "ts"),
    ),
    RuntimeSpec(
        "go",
        ("library/golang",),
        "golang",
        2,
        runtime_variants=frozenset({"alpine"}),
        musl_risk=0.2,
        aliases=("golang",),
        runtime_stage_repositories=("library/alpine", "library/debian", "library/busybox"),
        note="Go compiles to a static binary: build in golang, then copy the binary onto a small image"
        " (alpine, debian slim, busybox) or scratch.",
    ),
    RuntimeSpec(
        "java",
        ("library/eclipse-temurin", "library/amazoncorretto"),
        "java",
        1,
        runtime_variants=frozenset({"jre"}),
        build_variants=frozenset({"jdk"}),
        musl_risk=0.4,
        aliases=("jdk", "jre", "openjdk", "temurin", "eclipse-temurin", "kotlin", "scala", "spring"),
        deprecated_repositories={
            "library/openjdk": "The openjdk image is deprecated: it no longer gets builds. Use eclipse-temurin"
            " (or amazoncorretto).",
        },
    ),
    RuntimeSpec(
        "rust",
        ("library/rust",),
        "rust",
        1,
        musl_risk=0.3,
        aliases=("cargo",),
        support_precision=1,
        runtime_stage_repositories=("library/debian", "library/alpine"),
        note="Rust builds a binary: build in rust, then copy it onto debian slim (or alpine with a musl target).",
    ),
    RuntimeSpec("php", ("library/php",), "php", 2, runtime_variants=frozenset(), musl_risk=0.3),
    RuntimeSpec("ruby", ("library/ruby",), "ruby", 2, musl_risk=0.8, aliases=("rails",)),
    RuntimeSpec(
        "postgres", ("library/postgres",), "postgres", 1, runtime_variants=frozenset(), musl_risk=0.2,
        aliases=("postgresql", "pg"),
    ),
    RuntimeSpec("mysql", ("library/mysql",), "mysql", 2, runtime_variants=frozenset(), musl_risk=0.2),
    RuntimeSpec("mariadb", ("library/mariadb",), "mariadb", 2, runtime_variants=frozenset(), musl_risk=0.2),
    RuntimeSpec("redis", ("library/redis",), "redis", 2, runtime_variants=frozenset(), musl_risk=0.1),
    RuntimeSpec(
        "mongo", ("library/mongo",), "mongo", 1, runtime_variants=frozenset(), musl_risk=0.2, aliases=("mongodb",)
    ),
    RuntimeSpec("nginx", ("library/nginx",), None, 2, runtime_variants=frozenset(), musl_risk=0.1),
    RuntimeSpec(
        "httpd", ("library/httpd",), None, 2, runtime_variants=frozenset(), musl_risk=0.1, aliases=("apache",)
    ),
    RuntimeSpec("alpine", ("library/alpine",), "alpine", 2, runtime_variants=frozenset(), musl_risk=0.0),
    RuntimeSpec("debian", ("library/debian",), "debian", 1, musl_risk=0.0),
    RuntimeSpec("ubuntu", ("library/ubuntu",), "ubuntu", 2, runtime_variants=frozenset(), musl_risk=0.0),
    RuntimeSpec("busybox", ("library/busybox",), None, 2, runtime_variants=frozenset(), musl_risk=0.0),
)

RUNTIMES: dict[str, RuntimeSpec] = {}
for _spec in _SPECS:
    for _name in (_spec.name, *_spec.aliases):
        RUNTIMES.setdefault(_name, _spec)


def find_runtime(name: str) -> RuntimeSpec | None:
    """The spec for a runtime name or alias (``golang`` → go, ``nodejs`` → node)."""
    return RUNTIMES.get(name.strip().lower())


def runtime_for_repository(repository: str) -> RuntimeSpec | None:
    """The spec whose images live in ``repository`` (``library/eclipse-temurin`` → java)."""
    for spec in _SPECS:
        if repository in spec.repositories or repository in spec.deprecated_repositories:
            return spec
    return None


def known_runtimes() -> list[str]:
    return sorted(spec.name for spec in _SPECS)
