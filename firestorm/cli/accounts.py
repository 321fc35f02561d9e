"""Accounts from the command line: the first collective member, and forgotten passwords."""

import sys

import click
from flask.cli import with_appcontext

from firestorm.database import db
from firestorm.people import accounts
from firestorm.people.models import Role


@click.command("create-user")
@with_appcontext
@click.argument("email")
@click.option("--name", "display_name", required=True, help="The name shown on reviews.")
@click.option(
    "--role",
    type=click.Choice([role.value for role in Role]),
    default=Role.VOLUNTEER.value,
    show_default=True,
)
def create_user(email: str, display_name: str, role: str) -> None:
    """Make an account. The password is prompted for or read from stdin, never an argument."""
    password = _read_password()
    try:
        user = accounts.create_user(email, display_name, role, password)
        db.session.commit()
    except accounts.AccountError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Created {user.role} {user.display_name} <{user.email}>.")


@click.command("set-password")
@click.argument("email")
@with_appcontext
def set_password(email: str) -> None:
    """Give an account a new password (forgotten passwords). Signs it out everywhere."""
    password = _read_password()
    try:
        user = accounts.reset_password(email, password)
        db.session.commit()
    except accounts.AccountError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"New password set for {user.display_name} <{user.email}>; signed out everywhere.")


def _read_password() -> str:
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    # Piped in, e.g. from a password manager: the first line is the password.
    return sys.stdin.readline().rstrip("\r\n")
