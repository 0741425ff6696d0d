"""The `nablab` command line: a thin layer over keyword-only functions."""
from __future__ import annotations

import click


@click.group()
def main() -> None:
    """nablab: auto-graded assignments and exam prep for training neural networks."""


def _register_question_bank() -> None:
    from question_bank.cli import COMMANDS

    for command in COMMANDS:
        main.add_command(command)


_register_question_bank()
