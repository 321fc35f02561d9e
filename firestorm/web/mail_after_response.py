"""The messages a request queued (firestorm/outbox), tried once its transaction has committed
and its response has gone to the person: a slow or absent mail server never makes anyone wait,
and never holds the database's write lock. What fails here is left to `flask send-mail`."""

import logging
from functools import partial

from flask import Flask, Response, current_app

from firestorm.database import db
from firestorm.outbox import queue, sending
from firestorm.web import clock

log = logging.getLogger(__name__)


def send_when_closed(response: Response) -> None:
    """After the commit: the messages this request queued go once the response is closed (the
    server has sent it), outside the request, in an app context of their own."""
    message_ids = queue.committed_messages(db.session())
    if message_ids:
        # The app itself, not the proxy: the callback runs after this request's context.
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        response.call_on_close(partial(send_messages, app, message_ids))


def send_messages(app: Flask, message_ids: list[int]) -> None:
    with app.app_context():
        try:
            sending.send_messages(message_ids, app.config, clock.current_time())
        except Exception:
            # The messages are committed: a claimed one is sent again when its lease runs out.
            log.exception("Sending messages %s after the response failed", message_ids)
