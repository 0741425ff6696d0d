"""`python -m question_bank ...`: the bank, quiz and exam commands without the rest of nablab."""
import click

from question_bank.cli import COMMANDS


@click.group()
def main() -> None:
    """nablab question bank."""


for command in COMMANDS:
    main.add_command(command)

if __name__ == "__main__":
    main()
