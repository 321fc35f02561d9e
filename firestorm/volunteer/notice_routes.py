"""An author's notices on their dashboard: marking one, or all, as read (in place with htmx)."""

from flask import abort, flash, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from firestorm.notices import inbox
from firestorm.volunteer import bp
from firestorm.web import clock
from firestorm.web.htmx import redirect_or_partial

UPDATE = "volunteer/_notices_update.html"


@bp.post("/notices/<id:notice_id>/read")
def mark_notice_read(notice_id: int) -> ResponseReturnValue:
    try:
        inbox.mark_read(current_user, notice_id, clock.current_time())
    except inbox.NoticeNotFound:
        abort(404)
    return notices_changed("Marked as read.")


@bp.post("/notices/read")
def mark_all_notices_read() -> ResponseReturnValue:
    inbox.mark_all_read(current_user, clock.current_time())
    return notices_changed("All your notices are marked as read.")


def notices_changed(message: str) -> ResponseReturnValue:
    """The dashboard again without JavaScript; with htmx, the notices as they are now, and the
    flash message out of band."""
    flash(message, "success")
    return redirect_or_partial(
        url_for(".dashboard"),
        lambda: render_template(UPDATE, notices=inbox.unread_notices(current_user), just_read=True),
    )
