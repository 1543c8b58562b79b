"""The README documents every CLI command and the two commands a new user runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.cli import app

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", sorted(c.name or c.callback.__name__ for c in app.registered_commands))  # type: ignore[union-attr]
def test_every_cli_command_is_in_the_readme(command: str) -> None:
    """Each `kg` command appears in the README's command table."""
    assert f"`kg {command}" in README


@pytest.mark.parametrize("target", ["make run", "make test"])
def test_readme_shows_the_quick_start(target: str) -> None:
    """The quick start names the set-up-and-run and set-up-and-test commands."""
    assert target in README
