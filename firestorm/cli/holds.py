"""`flask --app app purge`: run daily (README, deployment) to expire uncollected holds and erase
customers' details HOLD_RETENTION_DAYS after their hold ended, and the emails sent or given up
on as long ago, and password reset links expired as long ago; event sign-ups' names, emails
and phones EVENT_SIGNUP_RETENTION_DAYS after their date; and Open Library's answers kept past
BOOK_LOOKUP_KEPT_DAYS."""

from datetime import timedelta

import click
from flask import current_app
from flask.cli import with_appcontext

from firestorm.book_lookup import lookups
from firestorm.database import db
from firestorm.events.signing_up import erase_past_sign_ups
from firestorm.holds.purge import purge as purge_holds
from firestorm.outbox.purge import erase_ended_messages
from firestorm.people import password_resets
from firestorm.web import clock


@click.command("purge")
@with_appcontext
def purge() -> None:
    """Expire holds not collected in time; erase customers' details from old holds, old
    emails, old reset links and old book lookups."""
    config = current_app.config
    hold_days, retention_days = config["HOLD_DAYS"], config["HOLD_RETENTION_DAYS"]
    now = clock.current_time()
    result = purge_holds(now, hold_days, retention_days)
    emails = erase_ended_messages(now, retention_days)
    resets = password_resets.erase_ended(now, retention_days)
    sign_up_days = config["EVENT_SIGNUP_RETENTION_DAYS"]
    sign_ups = erase_past_sign_ups(now, sign_up_days)
    lookups_forgotten = lookups.forget_old(now, timedelta(days=config["BOOK_LOOKUP_KEPT_DAYS"]))
    db.session.commit()
    click.echo(f"{_holds(result.expired)} expired (ready, not collected within {hold_days} days).")
    click.echo(
        f"{_holds(result.erased)} erased (customer's details, {retention_days} days after "
        "the hold ended)."
    )
    click.echo(
        f"{'1 email' if emails == 1 else f'{emails} emails'} erased (sent or given up on "
        f"over {retention_days} days ago)."
    )
    click.echo(
        f"{'1 reset link' if resets == 1 else f'{resets} reset links'} erased (expired over "
        f"{retention_days} days ago)."
    )
    click.echo(
        f"{'1 event sign-up' if sign_ups == 1 else f'{sign_ups} event sign-ups'} erased "
        f"(name, email and phone, {sign_up_days} days after the event)."
    )
    click.echo(
        f"{'1 book lookup' if lookups_forgotten == 1 else f'{lookups_forgotten} book lookups'} "
        "forgotten (Open Library's answers, asked again when next needed)."
    )


def _holds(count: int) -> str:
    return "1 hold" if count == 1 else f"{count} holds"
