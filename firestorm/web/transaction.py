"""The request's transaction: a request that changes things commits once, at its end, when it
succeeded; anything else rolls back. Views never commit by hand. The messages a committed
request queued are sent once its response has gone (web/mail_after_response.py)."""

from flask import Flask, Response, request

from firestorm.database import db
from firestorm.web import mail_after_response

# Requests that must change nothing: whatever they wrote is rolled back, so not even a
# mistake in a view can let a link, a prefetch or a HEAD request change the catalog.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def discard_changes() -> None:
    """Drop what this request changed so far, to draw the page from what the database holds
    now: after a refusal, or after losing a race to another request."""
    db.session.rollback()


def end_transaction(response: Response) -> Response:
    if request.method not in SAFE_METHODS and response.status_code < 400:
        # A failure here (the database refusing the commit) becomes the 500 page.
        db.session.commit()
        mail_after_response.send_when_closed(response)
    else:
        db.session.rollback()
    return response


def register(app: Flask) -> None:
    app.after_request(end_transaction)
