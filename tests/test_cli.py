"""The command line explains itself: every command has help with an example."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from juesuan.cli import cli

COMMANDS = ["extract", "package", "validate", "site", "serve", "build"]


def test_group_lists_every_command():
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    for name in COMMANDS:
        assert name in result.output


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_with_an_example(name):
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example" in result.output
    assert f"juesuan {name}" in result.output


def test_unknown_command_is_a_usage_error():
    result = CliRunner().invoke(cli, ["extrakt"])
    assert result.exit_code == 2
    assert "No such command" in result.output
