"""Every command is in the README and every command and option has help text."""
from __future__ import annotations

from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

from policyscan.cli import app

README = Path(__file__).resolve().parents[1] / "README.md"
GROUP = typer.main.get_command(app)
COMMANDS = sorted(GROUP.commands)  # type: ignore[attr-defined]
PARAMS = [(name, p) for name in COMMANDS for p in GROUP.commands[name].params] + [("", p) for p in GROUP.params]  # type: ignore[attr-defined]


def test_the_app_has_commands() -> None:
    assert {"extract", "normalize", "rules"} <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_command_is_in_readme(name: str) -> None:
    assert README.is_file(), "README.md is missing"
    assert f"policyscan {name}" in README.read_text(encoding="utf-8"), f"README.md does not show 'policyscan {name}'"


@pytest.mark.parametrize("name", COMMANDS)
def test_command_has_help(name: str) -> None:
    assert (GROUP.commands[name].help or "").strip()  # type: ignore[attr-defined]


def test_app_has_help() -> None:
    assert (GROUP.help or "").strip()


@pytest.mark.parametrize("command, param", PARAMS, ids=lambda x: x if isinstance(x, str) else x.name)
def test_every_option_and_argument_has_help(command: str, param: object) -> None:
    assert (getattr(param, "help", None) or "").strip(), f"{command or 'policyscan'}: {param.name} has no help text"  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", COMMANDS)
def test_help_lists_every_option(name: str) -> None:
    result = CliRunner().invoke(app, [name, "--help"])
    assert result.exit_code == 0
    for param in GROUP.commands[name].params:  # type: ignore[attr-defined]
        for opt in getattr(param, "opts", []):
            if opt.startswith("--"):
                assert opt in result.stdout


@pytest.mark.parametrize("args", [[], *[[name] for name in COMMANDS]], ids=lambda a: a[0] if a else "policyscan")
def test_help_has_an_example(args: list[str]) -> None:
    result = CliRunner().invoke(app, [*args, "--help"], env={"COLUMNS": "120"})
    assert result.exit_code == 0
    assert "Example:" in result.stdout
    shown = result.stdout.split("Example:", 1)[1]
    assert f"policyscan {args[0] if args else ''}".strip() in shown
