"""The request's transaction: a request that changes things commits once, at its end, when it
succeeded; anything else rolls back. Views never commit by hand. The messages a committed
request queued are sent once its response has gone (web/mail_after_response.py).

Work a view leaves for after its response (after_response) gets a transaction of its own,
committed here too."""

import logging
from collections.abc import Callable
from functools import partial

from flask import Flask, Response, current_app, request

from firestorm.database import db
from firestorm.outbox import queue
from firestorm.web import mail_after_response

# Requests that must change nothing: whatever they wrote is rolled back, so not even a
# mistake in a view can let a link, a prefetch or a HEAD request change the catalog.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


log = logging.getLogger(__name__)


def after_response(response: Response, work: Callable[[], None], about: str) -> None:
    """Do `work` once the response has gone, in an app context and a transaction of its own
    (committed if it succeeds), then send the messages it queued: what a person must not wait
    for, nor learn anything from the time it takes. A failure is logged by its kind alone
    (a database error's words carry its parameters), saying what it was `about`."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    response.call_on_close(partial(_work_after_response, app, work, about))


def _work_after_response(app: Flask, work: Callable[[], None], about: str) -> None:
    with app.app_context():
        try:
            with db.session.begin():
                work()
        except Exception as error:
            log.error("%s failed after the response (%s)", about, type(error).__name__)
            return
        message_ids = queue.committed_messages(db.session())
    mail_after_response.send_messages(app, message_ids)


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
