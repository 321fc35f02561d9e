"""Arranging and reading holds, and sending the public form, shared by the holds test modules
(not a test module)."""

import re
import secrets
from datetime import datetime, timedelta

from review_helpers import page_text

from firestorm.catalog.models import Book, StockChange
from firestorm.database import db
from firestorm.holds import desk, following, placing
from firestorm.holds.models import Hold, HoldKind, HoldState

# What the helpers make the holds' private links with: the tests' app's SECRET_KEY (conftest.py),
# as the routes do, so the desk's ready email can make a helper's hold's link again.
LINK_SECRET = "test secret key"

# How long the helpers' ready holds wait before they expire (config.py's HOLD_DAYS).
HOLD_DAYS = 7


def place_hold(
    app,
    book,
    at: datetime,
    quantity: int = 1,
    kind: HoldKind = HoldKind.HOLD,
    name: str = "Robin Customer",
    email: str = "robin.customer@example.org",
    phone: str = "828-555-0134",
    note: str = "After work, if that's all right.",
) -> Hold:
    """A new hold placed through the customer's form's own function, at `at` (detached)."""
    typed = placing.HoldRequest(kind, name, email, phone, quantity, note)
    with app.app_context():
        hold = placing.place_request(
            book.id, typed, secrets.token_urlsafe(16), at, LINK_SECRET
        ).hold
        db.session.commit()
        db.session.refresh(hold)
        db.session.expunge(hold)
        return hold


def hold_taken_to(app, book, state: HoldState, member, at: datetime, **details) -> Hold:
    """A hold placed at `at` and brought to `state` by `member` through the desk's own steps:
    ready an hour later; then collected (a hold's copies come off the stock) or cancelled
    ("The customer called") an hour after that, or expired HOLD_DAYS after it was ready, by
    the purge's expiry, which expires every hold ready by then (detached)."""
    hold = place_hold(app, book, at, **details)
    ready_at, ended_at = at + timedelta(hours=1), at + timedelta(hours=2)
    with app.app_context():
        if state not in (HoldState.NEW, HoldState.CANCELLED):
            desk.mark_ready(hold.id, member.id, ready_at)
        if state == HoldState.COLLECTED:
            desk.mark_collected(hold.id, member.id, ended_at)
        elif state == HoldState.CANCELLED:
            desk.cancel_hold(hold.id, member.id, "The customer called", HoldState.NEW, ended_at)
        elif state == HoldState.EXPIRED:
            desk.expire_overdue(ready_at + timedelta(days=HOLD_DAYS), HOLD_DAYS)
        db.session.commit()
    return hold_now(app, hold)


def link_of(hold: Hold) -> str:
    """The path of the hold's own page, as its private link gives it (helpers' holds only)."""
    return f"/holds/{following.link_token(hold.request_key, LINK_SECRET)}"


def hold_now(app, hold) -> Hold:
    """The hold as the database holds it now (detached)."""
    with app.app_context():
        found = db.session.get(Hold, hold.id)
        db.session.expunge(found)
        return found


def stock_and_log(app, book) -> tuple[int, list[tuple[int, str, int | None]]]:
    """The book's stock, and its stock log as (delta, reason, member id), oldest first."""
    with app.app_context():
        changes = db.session.scalars(
            db.select(StockChange).where(StockChange.book_id == book.id).order_by(StockChange.id)
        )
        log = [(c.delta, c.reason, c.changed_by_id) for c in changes]
        return db.session.get(Book, book.id).stock, log


# --- The public form, as a customer sends it -------------------------------------------------

CUSTOMER = {
    "name": "Robin Customer",
    "email": "robin.customer@example.org",
    "phone": "828-555-0143",
    "quantity": "1",
    "note": "After work",
}


def hold_path(book) -> str:
    return f"/books/{book.id}/hold"


def hidden_fields(page: str) -> dict[str, str]:
    """The hidden fields the form carries: its CSRF token, kind and request key."""
    found = re.findall(r'<input[^>]*type="hidden"[^>]*>', page)
    fields = {}
    for tag in found:
        name = re.search(r'name="([^"]+)"', tag).group(1)
        fields[name] = re.search(r'value="([^"]*)"', tag).group(1)
    return fields


def opened_form(client, book) -> dict[str, str]:
    page = client.get(hold_path(book))
    assert page.status_code == 200
    return hidden_fields(page_text(page))


def send_form(client, book, **typed):
    """Open the form as the book page's link does, fill it in and send it: the page it ends on
    (the hold's own page, through the redirect, or the form again, refused)."""
    return client.post(
        hold_path(book),
        data={**opened_form(client, book), **CUSTOMER, **typed},
        follow_redirects=True,
    )


def hold_page_path(response) -> str:
    """The hold's own page the form's redirect led to: /holds/<token>."""
    [redirect] = response.history
    assert redirect.status_code == 303
    return redirect.headers["Location"]


def holds_of(app, book) -> list[Hold]:
    with app.app_context():
        holds = list(db.session.scalars(db.select(Hold).where(Hold.book_id == book.id)))
        db.session.expunge_all()
        return holds


def reference_in(page: str) -> str:
    return re.search(r"Your reference: <strong>([A-Z0-9]{6})</strong>", page).group(1)
