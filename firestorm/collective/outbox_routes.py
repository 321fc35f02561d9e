"""Emails the site gave up on: shown on the holds desk and the people page
(templates/collective/_mail_failures.html), and sent again from there."""

from flask import flash, redirect, request, url_for
from flask.typing import ResponseReturnValue

from firestorm.collective import bp
from firestorm.outbox import failures
from firestorm.web import clock
from firestorm.web.site_address import safe_next_path


@bp.post("/emails/failed/send-again", endpoint="send_failed_mail_again")
def send_failed_mail_again() -> ResponseReturnValue:
    """A plain post from the page showing the failures, which it goes back to; the emails go
    once the response has."""
    back = safe_next_path(request.form.get("next")) or url_for(".holds")
    again = failures.send_again(clock.current_time())
    words = []
    if again.queued:
        words.append(f"{_emails(again.queued)} will be sent again now.")
    if again.dropped:
        words.append(
            f"{_emails(again.dropped, 'invitation')} could not be sent again: its link is "
            "kept only until it is sent. Invite them again from the invitations page."
        )
    flash(" ".join(words) or "No email is waiting to be sent again.", "success")
    return redirect(back)


def _emails(count: int, kind: str = "email") -> str:
    return f"1 {kind}" if count == 1 else f"{count} {kind}s"
