"""`flask --app app send-mail`: run every few minutes (README, deployment) to send the messages
the outbox holds that are due: those whose first try after their request did not happen or
failed, and those a sender claimed and never finished. Safe on several machines at once."""

import click
from flask import current_app
from flask.cli import with_appcontext

from firestorm import mail
from firestorm.outbox import sending
from firestorm.web import clock


@click.command("send-mail")
@with_appcontext
def send_mail() -> None:
    """Send the messages waiting in the outbox; each failure is tried again later."""
    config = current_app.config
    if not mail.mail_configured(config):
        click.echo("MAIL_SERVER is not set: this site sends no mail.")
        return
    outcome = sending.send_due(config, clock.current_time())
    click.echo(
        f"{_messages(outcome.sent)} sent, {_messages(outcome.retrying)} to try again later, "
        f"{_messages(outcome.failed)} failed after the last try."
    )


def _messages(count: int) -> str:
    return "1 message" if count == 1 else f"{count} messages"
