"""The locks install the same environment whatever the package index serves next.

`make install` installs `requirements-pip.lock` (the installer) and then `requirements.lock` with
`--no-deps`, so the lock must be closed: every requirement of every locked package, including the
extras another locked package asks for (weasel wants `smart-open[http]`), must itself be locked.
"""

from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
LOCKS = [ROOT / "requirements-pip.lock", ROOT / "requirements.lock"]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


def _entries(path: Path) -> dict[str, tuple[str, int]]:
    """name -> (version, number of hashes) for each requirement in a hashed lock file."""
    entries: dict[str, tuple[str, int]] = {}
    name = ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if match := PIN.match(line):
            name = canonicalize_name(match.group(1))
            entries[name] = (match.group(2), 0)
        elif line.startswith("--hash=sha256:"):
            version, hashes = entries[name]
            entries[name] = (version, hashes + 1)
        else:
            pytest.fail(f"{path.name}: not a pinned, hashed requirement: {line}")
    return entries


LOCKED = {name: entry for lock in LOCKS for name, entry in _entries(lock).items()}


@pytest.mark.parametrize("lock", LOCKS, ids=lambda p: p.name)
def test_every_locked_requirement_is_pinned_and_hashed(lock: Path) -> None:
    entries = _entries(lock)
    assert entries, f"{lock.name} locks nothing"
    unhashed = sorted(name for name, (_, hashes) in entries.items() if hashes == 0)
    assert not unhashed, f"{lock.name}: no hash for {unhashed}"


def test_the_installer_is_locked_to_a_pip_that_honours_locked_extras() -> None:
    """pip before 23.3 resolves `pkg[extra]` of a locked package against the newest release."""
    version = tuple(int(part) for part in LOCKED["pip"][0].split(".")[:2])
    assert version >= (23, 3)


def _project_requirements() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    optional = [req for reqs in project["optional-dependencies"].values() for req in reqs]
    return [Requirement(req) for req in [*project["dependencies"], *optional]]


def test_the_lock_is_closed_under_every_requirement_and_extra() -> None:
    """Walk from pyproject's requirements through each locked package's metadata, extras included."""
    environment: dict[str, str] = dict(default_environment())
    todo: list[tuple[Requirement, str]] = [(req, "pyproject.toml") for req in _project_requirements()]
    seen: set[tuple[str, frozenset[str]]] = set()
    problems: list[str] = []
    while todo:
        req, wanted_by = todo.pop()
        if req.marker and not any(
            req.marker.evaluate({**environment, "extra": extra}) for extra in ["", *sorted(_extras_of(wanted_by))]
        ):
            continue
        name = canonicalize_name(req.name)
        if name not in LOCKED:
            problems.append(f"{req} (wanted by {wanted_by}) is not locked")
            continue
        version = LOCKED[name][0]
        if not req.specifier.contains(version, prereleases=True):
            problems.append(f"{req} (wanted by {wanted_by}) but {name}=={version} is locked")
        key = (name, frozenset(req.extras))
        if key in seen:
            continue
        seen.add(key)
        for sub in metadata.requires(name) or []:
            todo.append((Requirement(sub), _with_extras(name, req.extras)))
    assert not problems, "\n".join(problems)


def _with_extras(name: str, extras: set[str]) -> str:
    return f"{name}[{','.join(sorted(extras))}]" if extras else name


def _extras_of(wanted_by: str) -> set[str]:
    match = re.search(r"\[(.*)\]$", wanted_by)
    return set(match.group(1).split(",")) if match else set()


def test_the_installed_environment_is_the_lock() -> None:
    """What pip installed from the locks is what they say, version for version."""
    wrong = []
    for name, (version, _) in LOCKED.items():
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue  # a package whose marker excludes this platform
        if installed != version:
            wrong.append(f"{name}: locked {version}, installed {installed}")
    assert not wrong, "\n".join(wrong)
