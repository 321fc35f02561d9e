"""Arranging and reading reviews, shared by the test modules (not a test module itself); also
the one home of what every module needs: NOW, page_text, the CSRF token and signing in."""

import threading
from datetime import UTC, datetime

from firestorm.catalog.models import Book
from firestorm.database import db
from firestorm.people.models import User
from firestorm.reviews import approvals, workflow
from firestorm.reviews.models import Review, ReviewState

# A text long enough to send to the collective, as the editor keeps it (trimmed).
GOOD_TEXT = (
    "A book about councils and markets, and how people organise without a state. " * 2
).strip()
# What the approval tests write and send, and when.
TEXT = "A *patient* book about councils, markets and the chores people share. " * 2
NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
HTMX = {"HX-Request": "true", "HX-Request-Type": "partial"}
MAX_LENGTH = 10_000
# The texts tests send may be as short as they like (a store may lower REVIEW_MIN_LENGTH): the
# length rule has tests of its own, and the pages' tests read better with short texts.
SHORTEST_SENT = 1


def page_text(response, status: int | None = None) -> str:
    """The answer's text, once it is the answer the test expects: `status` when given;
    otherwise anything but a server error or a 404. Words missing from an error page prove
    nothing, so a test reading a 404 or a 500 on purpose says so (status=404)."""
    if status is None:
        assert response.status_code < 500 and response.status_code != 404, (
            f"{response.request.path} answered {response.status_code}"
        )
    else:
        assert response.status_code == status, f"{response.request.path}: {response.status_code}"
    return response.get_data(as_text=True)


def not_found_page(response) -> str:
    """The site's own 404 page, as a person reads it."""
    page = page_text(response, status=404)
    assert "We couldn&#39;t find that page" in page, response.request.path
    return page


def token_of(client) -> str:
    """The CSRF token this client's forms carry: the sign-in form's when signed out, the
    sign-out form's on the page the sign-in page sends a signed-in person to."""
    page = page_text(client.get("/login?next=/hours", follow_redirects=True))
    return page.split('name="csrf_token" value="')[1].split('"')[0]


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


def review_taken_to(
    state: ReviewState,
    author_id: int,
    book_id: int,
    body: str,
    now: datetime,
    member_id: int | None = None,
    note: str = "",
) -> Review:
    """A review brought to `state` by the workflow's own steps, as people would bring it there:
    written, then sent and returned with the note or approved by the collective member, or put
    aside. Call it inside an app context; the caller commits."""
    author = db.session.get(User, author_id)
    review = workflow.start_review(author, db.session.get(Book, book_id))
    db.session.flush()
    workflow.save_draft(review, author, body, max_length=MAX_LENGTH, seen_version=review.version)
    if state == ReviewState.WITHDRAWN:
        workflow.withdraw_review(review, author, now)
    elif state != ReviewState.DRAFT:
        workflow.submit_review(review, author, now, SHORTEST_SENT, MAX_LENGTH)
    if state in (ReviewState.RETURNED, ReviewState.PUBLISHED):
        member = db.session.get(User, member_id)
        if state == ReviewState.RETURNED:
            approvals.return_review(review, member, note, now, seen_round=review.round)
        else:
            approvals.approve_review(
                review, member, now, approvals_required=1, seen_round=review.round
            )
    return review


def post_at_once(app, requests) -> list:
    """Post each (user, path, data) from its own client and thread, released together, as
    htmx does; a user of None posts signed out."""
    clients = []
    for user, path, data in requests:
        client = app.test_client()
        if user is not None:
            sign_in_client(client, user)
        clients.append((client, path, {"csrf_token": token_of(client), **data}))
    barrier = threading.Barrier(len(clients))
    answers: list = [None] * len(clients)

    def send(index, client, path, data):
        try:
            barrier.wait(timeout=10)
            answers[index] = client.post(path, data=data, headers=HTMX)
        except Exception as error:  # noqa: BLE001 - handed to the test, which fails with it
            answers[index] = error

    threads = [
        threading.Thread(target=send, args=(index, *request))
        for index, request in enumerate(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    for answer in answers:
        if not hasattr(answer, "status_code"):
            raise AssertionError(f"a concurrent request failed: {answer!r}")
    return answers


def as_drawn(app, review_id, **fields) -> dict:
    """What a page drawn now sends with a form about this review: the version the editor
    shows and the round the queue shows, with the fields typed."""
    review = saved(app, review_id)
    return {"version": review.version, "round": review.round, **fields}
