"""The `nablab` command line: a thin layer over keyword-only functions."""
from __future__ import annotations

import click


@click.group()
def main() -> None:
    """nablab: auto-graded assignments and exam prep for training neural networks."""


def _register() -> None:
    from question_bank.cli import COMMANDS as BANK

    from .grading_cli import COMMANDS as GRADING

    for command in GRADING + BANK:
        main.add_command(command)


_register()
