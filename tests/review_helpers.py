"""Arranging and reading reviews, shared by the test modules (not a test module itself)."""

from datetime import UTC, datetime

from firestorm.database import db
from firestorm.reviews import approvals
from firestorm.reviews.models import Review

# A text long enough to send to the collective.
GOOD_TEXT = "A book about councils and markets, and how people organise without a state. " * 2
# What the approval tests write and send, and when.
TEXT = "A *patient* book about councils, markets and the chores people share. " * 2
NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
HTMX = {"HX-Request": "true"}


def page_text(response) -> str:
    return response.get_data(as_text=True)


def token_of(client) -> str:
    """The CSRF token this client's pages carry (every page sets it on the body for htmx)."""
    page = page_text(client.get("/hours"))
    return page.split('{"X-CSRFToken": "')[1].split('"')[0]


def sign_in_client(client, user):
    """The test client, signed in as that person, as the sign-in page would leave it."""
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
    return client


def saved(app, review_id) -> Review:
    with app.app_context():
        review = db.session.get(Review, review_id)
        db.session.expunge(review)
        return review


def version_of(app, review_id) -> int:
    return saved(app, review_id).version


def approve_path(review_id):
    return f"/collective/reviews/{review_id}/approve"


def return_path(review_id):
    return f"/collective/reviews/{review_id}/return"


def history_of(app, review_id) -> list[tuple[str, str, str]]:
    """(action, who, note) for every step of the review, oldest first."""
    with app.app_context():
        return [
            (event.action, event.actor.display_name, event.note)
            for event in approvals.history_of(review_id)
        ]
