"""Version order for the ecosystems whose fixed versions this room compares: dpkg, apk and SemVer.

A record's ``affected[].ranges[].events`` give ``introduced`` / ``fixed`` versions; which fixed version applies to
the installed one needs the ecosystem's own order ([documented: osv-schema, "affected[].ranges[].type": ``ECOSYSTEM``
ranges use the ecosystem's version order, ``SEMVER`` ranges SemVer 2.0]). Three orders are written here:

- **dpkg** (Debian, Ubuntu) [documented: Debian Policy 5.6.12 "Version"]: ``[epoch:]upstream[-revision]``, each part
  compared as alternating non-digit and digit runs; in non-digit runs ``~`` sorts before everything, even the end,
  and letters before other characters.
- **apk** (Alpine, Wolfi, Chainguard) [documented: Alpine wiki "APKBUILD Reference", pkgver / pkgrel; apk-tools
  ``version.c`` for the order of suffixes]: ``1.2.3[letter][_suffix[N]]...[-rN]``; pre-release suffixes
  (``_alpha`` < ``_beta`` < ``_pre`` < ``_rc``) sort before the bare version, post-release ones (``_cvs`` < ``_svn``
  < ``_git`` < ``_hg`` < ``_p``) after. [assumed] numbers compared as integers throughout (apk-tools compares a
  number with a leading zero after the first as a fraction; no Alpine fixed version we have seen uses one).
- **SemVer 2.0** [documented: semver.org, clause 11], with an optional leading ``v``.

Each comparer answers ``None`` for a version it cannot read: the caller then says the versions were not compared,
never guesses.
"""

from __future__ import annotations

import re
from collections.abc import Callable

Compare = Callable[[str, str], int | None]
"""``(a, b)`` → negative, zero or positive as ``a`` sorts before, with or after ``b``; ``None``: not readable."""

MAX_VERSION = 256  # longer is no version any ecosystem writes: not compared


def _sign(value: int) -> int:
    return (value > 0) - (value < 0)


# --- dpkg ---------------------------------------------------------------------------------------------

_DPKG = re.compile(r"^(?:(\d+):)?([A-Za-z0-9.+~:-]+?)(?:-([A-Za-z0-9.+~]+))?$")


def _dpkg_order(char: str) -> int:
    if char == "~":
        return -1
    if char.isalpha():
        return ord(char)
    return ord(char) + 256


def _dpkg_part(a: str, b: str) -> int:
    """dpkg's ``verrevcmp``: non-digit runs by :func:`_dpkg_order`, digit runs as numbers."""
    i = j = 0
    while i < len(a) or j < len(b):
        first_diff = 0
        while (i < len(a) and not a[i].isdigit()) or (j < len(b) and not b[j].isdigit()):
            ac = _dpkg_order(a[i]) if i < len(a) and not a[i].isdigit() else 0
            bc = _dpkg_order(b[j]) if j < len(b) and not b[j].isdigit() else 0
            if ac != bc:
                return _sign(ac - bc)
            i += 1
            j += 1
        while i < len(a) and a[i] == "0":
            i += 1
        while j < len(b) and b[j] == "0":
            j += 1
        while i < len(a) and a[i].isdigit() and j < len(b) and b[j].isdigit():
            if not first_diff:
                first_diff = ord(a[i]) - ord(b[j])
            i += 1
            j += 1
        if i < len(a) and a[i].isdigit():
            return 1
        if j < len(b) and b[j].isdigit():
            return -1
        if first_diff:
            return _sign(first_diff)
    return 0


def _dpkg_split(version: str) -> tuple[int, str, str] | None:
    version = version.strip()
    if not version or len(version) > MAX_VERSION:
        return None
    match = _DPKG.match(version)
    if match is None or not match.group(2)[:1].isdigit():
        return None
    epoch, upstream, revision = match.groups()
    return int(epoch or 0), upstream, revision or ""


def dpkg_compare(a: str, b: str) -> int | None:
    """Debian's version order (``dpkg --compare-versions``)."""
    left, right = _dpkg_split(a), _dpkg_split(b)
    if left is None or right is None:
        return None
    if left[0] != right[0]:
        return _sign(left[0] - right[0])
    return _dpkg_part(left[1], right[1]) or _dpkg_part(left[2], right[2])


# --- apk ----------------------------------------------------------------------------------------------

_APK = re.compile(
    r"^(?P<numbers>\d+(?:\.\d+)*)(?P<letter>[a-z])?(?P<suffixes>(?:_(?:alpha|beta|pre|rc|cvs|svn|git|hg|p)\d*)*)"
    r"(?:~[0-9a-f]+)?(?:-r(?P<release>\d+))?$"
)
_SUFFIX = re.compile(r"_(alpha|beta|pre|rc|cvs|svn|git|hg|p)(\d*)")
_SUFFIX_ORDER = {"alpha": -4, "beta": -3, "pre": -2, "rc": -1, "cvs": 1, "svn": 2, "git": 3, "hg": 4, "p": 5}


def _apk_key(version: str) -> tuple[tuple[int, ...], int, tuple[tuple[int, int], ...], int] | None:
    if len(version) > MAX_VERSION:
        return None
    match = _APK.match(version.strip())
    if match is None:
        return None
    numbers = tuple(int(part) for part in match.group("numbers").split("."))
    letter = ord(match.group("letter")) if match.group("letter") else 0
    suffixes = tuple((_SUFFIX_ORDER[name], int(n or 0)) for name, n in _SUFFIX.findall(match.group("suffixes")))
    return numbers, letter, suffixes + ((0, 0),), int(match.group("release") or 0)


def apk_compare(a: str, b: str) -> int | None:
    """Alpine's version order (``apk version -t``), for the versions :data:`_APK` reads."""
    left, right = _apk_key(a), _apk_key(b)
    if left is None or right is None:
        return None
    width = max(len(left[0]), len(right[0]))
    padded_left = left[0] + (-1,) * (width - len(left[0]))  # [assumed] 1.2 < 1.2.0: a missing part sorts first
    padded_right = right[0] + (-1,) * (width - len(right[0]))
    keys_left = (padded_left, (left[1],), left[2], (left[3],))
    keys_right = (padded_right, (right[1],), right[2], (right[3],))
    for x, y in zip(keys_left, keys_right, strict=True):
        if x != y:
            return -1 if x < y else 1
    return 0


# --- SemVer -------------------------------------------------------------------------------------------

_SEMVER = re.compile(
    r"^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z.-]+)?$"
)


def semver_compare(a: str, b: str) -> int | None:
    """SemVer 2.0 precedence (build metadata ignored); ``None`` for what is not SemVer."""
    left = _SEMVER.match(a.strip()) if len(a) <= MAX_VERSION else None
    right = _SEMVER.match(b.strip()) if len(b) <= MAX_VERSION else None
    if left is None or right is None:
        return None
    core_left = tuple(int(left.group(n)) for n in (1, 2, 3))
    core_right = tuple(int(right.group(n)) for n in (1, 2, 3))
    if core_left != core_right:
        return -1 if core_left < core_right else 1
    pre_left, pre_right = left.group(4), right.group(4)
    if pre_left == pre_right:
        return 0
    if pre_left is None or pre_right is None:
        return 1 if pre_left is None else -1  # a pre-release sorts before its release
    for x, y in zip(pre_left.split("."), pre_right.split("."), strict=False):
        if x == y:
            continue
        if x.isdigit() and y.isdigit():
            return -1 if int(x) < int(y) else 1
        if x.isdigit() or y.isdigit():
            return -1 if x.isdigit() else 1  # numeric identifiers sort before alphanumeric ones
        return -1 if x < y else 1
    return _sign(len(pre_left.split(".")) - len(pre_right.split(".")))


_BY_ECOSYSTEM: dict[str, Compare] = {
    "Debian": dpkg_compare,
    "Ubuntu": dpkg_compare,
    "Alpine": apk_compare,
    "Wolfi": apk_compare,
    "Chainguard": apk_compare,
}


def comparer(ecosystem: str, range_type: str) -> Compare | None:
    """The order for a range of ``range_type`` in ``ecosystem`` (``Debian:12`` counts as ``Debian``), or ``None``
    when this room has none (PyPI, Maven, rpm distributions, ...): their fixed versions are not compared."""
    if range_type == "SEMVER":
        return semver_compare
    if range_type != "ECOSYSTEM":
        return None  # GIT ranges name commits, not versions
    return _BY_ECOSYSTEM.get(ecosystem.split(":", 1)[0])
