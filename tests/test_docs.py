"""README stays in sync with the CLI: two Quick start commands, an example for every command."""

import re
from pathlib import Path

import pytest
import typer.main

from earwise.cli import app

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def commands() -> list[str]:
    group = typer.main.get_command(app)
    names = []
    for name, cmd in group.commands.items():
        if hasattr(cmd, "commands"):
            names += [f"{name} {sub}" for sub in cmd.commands]
        else:
            names.append(name)
    return names


def test_quick_start_has_exactly_two_commands():
    block = README.split("## Quick start")[1].split("```sh")[1].split("```")[0]
    assert [line.strip() for line in block.strip().splitlines()] == ["make demo", "make test"]


@pytest.mark.parametrize("command", commands())
def test_every_command_has_a_readme_example(command):
    assert re.search(rf"^earwise {command}\b", README, re.M), command


@pytest.mark.parametrize(
    "param", [p for p in typer.main.get_command(app).commands["recommend"].params if p.opts]
)
def test_every_recommend_option_is_documented(param):
    long = [o for o in param.opts if o.startswith("--")][0]
    assert long.split("/")[0] in README, long
