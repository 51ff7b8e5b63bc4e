"""Docs keep up with the code: every setting, CLI command and API route is documented."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import typer.main

from commentdesk.cli import app as cli_app
from commentdesk.moderation.settings import ModerationSettings
from commentdesk.plugins.hookspecs import Hooks
from commentdesk.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_every_setting_is_documented(name: str) -> None:
    field = Settings.model_fields[name]
    assert field.description, f"setting {name} has no description"
    assert f"`COMMENTDESK_{name.upper()}`" in (DOCS / "reference" / "settings.md").read_text()


def _commands(group: typer.Typer, prefix: str = "") -> list[str]:
    click_group = typer.main.get_group(group)
    names = []
    for name, command in click_group.commands.items():
        subcommands = getattr(command, "commands", None)
        if subcommands:
            names += [f"{prefix}{name} {sub}" for sub in subcommands]
        else:
            names.append(f"{prefix}{name}")
    return names


@pytest.mark.parametrize("command", _commands(cli_app))
def test_every_cli_command_is_documented(command: str) -> None:
    assert f"`commentdesk {command}" in (DOCS / "reference" / "cli.md").read_text()


def test_api_reference_matches_openapi() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "api_reference.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_changelog_has_an_unreleased_section() -> None:
    assert "## [Unreleased]" in (ROOT / "CHANGELOG.md").read_text()


@pytest.mark.parametrize("name", sorted(ModerationSettings.model_fields))
def test_every_moderation_setting_is_documented(name: str) -> None:
    assert ModerationSettings.model_fields[name].description
    text = (DOCS / "reference" / "moderation-settings.md").read_text()
    assert f"| `{name}` |" in text


@pytest.mark.parametrize("hook", sorted(name for name in vars(Hooks) if not name.startswith("_")))
def test_every_hook_is_documented(hook: str) -> None:
    assert getattr(Hooks, hook).__doc__
    assert f"## `{hook}`" in (DOCS / "reference" / "hooks.md").read_text()
