"""The approval queue under /collective/: who may open it, approving and returning through it
(plain forms and htmx), the history it leaves, and two members deciding at the same moment."""

import threading
from datetime import UTC, datetime, timedelta
from itertools import count
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select, text

# The Nu Html Checker and its fixture, shared with the public pages' validity test.
from test_html_validity import check_html, describe, nu_html_checker  # noqa: F401

from firestorm import approvals, reviews
from firestorm.collective import queue_routes
from firestorm.extensions import db
from firestorm.models import Book, Review, ReviewAction, ReviewEvent, ReviewState, User

TEXT = "A *patient* book about councils, markets and the chores people share. " * 2
NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
HTMX = {"HX-Request": "true"}
OLD_TEXT = "The old text says *slow*. " + TEXT
NEW_TEXT = "The new text says *careful*. " + TEXT
_books = count(1)


def page_text(response) -> str:
    return response.get_data(as_text=True)


# --- Arranging -----------------------------------------------------------------------------


@pytest.fixture
def people(make_user):
    return {
        "robin": make_user("volunteer", display_name="Robin"),
        "sam": make_user("collective", display_name="Sam"),
        "mara": make_user("collective", display_name="Mara"),
    }


def sign_in_client(client, user):
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
    return client


def token_of(client) -> str:
    page = page_text(client.get("/hours"))
    return page.split('{"X-CSRFToken": "')[1].split('"')[0]


@pytest.fixture
def as_member(client):
    """as_member(user): the test client, signed in as that person."""
    return lambda user: sign_in_client(client, user)


@pytest.fixture
def post(client):
    """post(path, data, htmx=False): a form post with the CSRF token, as the pages send it."""

    def post(path, data=None, htmx=False):
        fields = {"csrf_token": token_of(client), **(data or {})}
        return client.post(path, data=fields, headers=HTMX if htmx else {})

    return post


@pytest.fixture
def submit(app, make_book):
    """submit(author, …) -> the id of a review written and sent through the workflow."""

    def submit(author, body=TEXT, title=None, authors=("Raúl Zibechi",), review_id=None, at=NOW):
        if review_id is None:
            book = make_book(title or f"Book {next(_books)}", authors=authors)
        with app.app_context():
            person = db.session.get(User, author.id)
            if review_id is None:
                review = reviews.start_review(person, db.session.get(Book, book.id))
                db.session.flush()
            else:
                review = db.session.get(Review, review_id)
            reviews.save_draft(review, person, body, max_length=10_000)
            reviews.submit_review(review, person, at, 100, 10_000)
            db.session.commit()
            return review.id

    return submit


def publish_then_revise(app, people, submit) -> int:
    """Robin's review of Dispersing Power, published, and a revision of it waiting."""
    review_id = submit(people["robin"], body=OLD_TEXT, title="Dispersing Power")
    with app.app_context():
        review = db.session.get(Review, review_id)
        approvals.approve_review(review, db.session.get(User, people["sam"].id), NOW, 1)
        db.session.commit()
    submit(people["robin"], body=NEW_TEXT, review_id=review_id)
    return review_id


@pytest.fixture
def published_then_revised(app, people, submit):
    return publish_then_revise(app, people, submit)


def saved(app, review_id) -> Review:
    with app.app_context():
        review = db.session.get(Review, review_id)
        db.session.expunge(review)
        return review


def events_of(app, review_id) -> list[tuple[str, str, str]]:
    """(action, who, note) for every step of the review, oldest first."""
    with app.app_context():
        return [
            (event.action, event.actor.display_name, event.note)
            for event in approvals.history_of(review_id)
        ]


def version_of(app, review_id) -> int:
    return saved(app, review_id).version


def approve_path(review_id):
    return f"/collective/reviews/{review_id}/approve"


def return_path(review_id):
    return f"/collective/reviews/{review_id}/return"


# --- Who may open what ---------------------------------------------------------------------


def every_route(review_id):
    return [
        ("GET", "/collective/queue"),
        ("POST", approve_path(review_id)),
        ("POST", return_path(review_id)),
    ]


def test_strangers_are_sent_to_sign_in_and_nothing_changes(client, app, people, submit):
    review_id = submit(people["robin"])
    token = token_of(client)

    for method, path in every_route(review_id):
        response = client.open(path, method=method, data={"csrf_token": token, "note": "No."})

        assert response.status_code == 302, path
        location = urlsplit(response.headers["Location"])
        assert (location.path, parse_qs(location.query)["next"]) == ("/login", [path]), path
    assert events_of(app, review_id) == [("submitted", "Robin", "")]


def test_a_stranger_deciding_with_htmx_is_told_in_place(client, people, submit):
    review_id = submit(people["robin"])

    response = client.post(
        approve_path(review_id), data={"csrf_token": token_of(client)}, headers=HTMX
    )

    assert response.status_code == 401
    assert "You're signed out." in page_text(response)


def test_volunteers_cannot_open_the_queue_or_decide(client, app, people, submit, login_as, post):
    review_id = submit(people["robin"])
    login_as("volunteer")

    assert client.get("/collective/queue").status_code == 403
    for htmx in (False, True):
        assert post(approve_path(review_id), htmx=htmx).status_code == 403
        assert post(return_path(review_id), {"note": "Mine now."}, htmx=htmx).status_code == 403
    # Not even the author, on their own review.
    sign_in_client(client, people["robin"])
    assert post(approve_path(review_id)).status_code == 403
    review = saved(app, review_id)
    assert (review.state, review.published_body) == (ReviewState.SUBMITTED, None)
    assert events_of(app, review_id) == [("submitted", "Robin", "")]


def test_volunteers_are_not_shown_the_queue_in_the_navigation(client, login_as):
    login_as("volunteer")

    page = page_text(client.get("/my/"))

    assert "/collective/queue" not in page and "Approval queue" not in page


def test_collective_members_open_the_queue_from_the_navigation(client, people, submit, login_as):
    submit(people["robin"])
    submit(people["robin"])
    login_as("collective")

    response = client.get("/collective/queue")

    page = page_text(response)
    assert response.status_code == 200
    assert 'href="/collective/queue" aria-current="page">Approval queue' in page
    assert '<span class="count-badge">2</span><span class="visually-hidden"> waiting</span>' in page
    assert '<meta name="robots" content="noindex">' in page


def test_an_unknown_review_is_not_found(client, login_as, post):
    login_as("collective")

    for path in (approve_path(999), return_path(999), approve_path(2**40), approve_path("x")):
        assert post(path, {"note": "Hmm."}).status_code == 404, path


def test_deciding_without_the_csrf_token_is_refused(client, app, people, submit, as_member):
    review_id = submit(people["robin"])
    as_member(people["sam"])

    for path in (approve_path(review_id), return_path(review_id)):
        response = client.post(path, data={"note": "No token."})
        assert response.status_code == 400
        assert "This form has expired" in page_text(response)
    assert saved(app, review_id).state == ReviewState.SUBMITTED


def test_the_csrf_token_may_come_in_the_htmx_header_alone(client, app, people, submit, as_member):
    review_id = submit(people["robin"])
    as_member(people["sam"])

    response = client.post(
        approve_path(review_id), headers={**HTMX, "X-CSRFToken": token_of(client)}
    )

    assert response.status_code == 200
    assert saved(app, review_id).state == ReviewState.PUBLISHED


# --- The queue -----------------------------------------------------------------------------


def test_the_queue_shows_each_waiting_review_oldest_first(
    client, app, people, submit, make_user, as_member
):
    theo = make_user("volunteer", display_name="Theo")
    submit(theo, title="Later Book", at=NOW + timedelta(hours=2))
    first = submit(people["robin"], title="Dispersing Power", at=NOW)
    submit(people["robin"], title="Drafted Only")
    with app.app_context():
        reviews.withdraw_review(
            db.session.scalar(select(Review).join(Book).where(Book.title == "Drafted Only")),
            db.session.get(User, people["robin"].id),
            NOW,
        )
        db.session.commit()
    as_member(people["sam"])

    page = page_text(client.get("/collective/queue"))

    assert page.index("Dispersing Power") < page.index("Later Book")
    assert "Drafted Only" not in page
    book_id = saved(app, first).book_id
    assert f'<a href="/books/{book_id}">Dispersing Power</a></h2>' in page
    assert "by Raúl Zibechi · A review by <strong>Robin</strong>, sent" in page
    assert '<time datetime="2026-11-24">Nov 24, 2026</time>' in page
    assert "<p>A <em>patient</em> book about councils" in page
    assert "Approvals: 0 of 1." in page
    assert "What changed" not in page


def test_each_entry_has_an_approve_button_and_a_labelled_note_for_the_author(
    client, app, people, submit, as_member
):
    review_id = submit(people["robin"])
    version = version_of(app, review_id)
    as_member(people["sam"])

    page = page_text(client.get("/collective/queue"))

    for path in (approve_path(review_id), return_path(review_id)):
        assert f'action="{path}" method="post"' in page
        assert f'hx-post="{path}" hx-target="#queue-review-{review_id}" hx-swap="outerHTML"' in page
    assert f'<article id="queue-review-{review_id}"' in page
    assert (
        f'id="approve-version-{review_id}" name="version" type="hidden" value="{version}"' in page
    )
    assert f'<label for="return-note-{review_id}">Your note for Robin</label>' in page
    assert f'id="return-note-{review_id}" maxlength="2000" name="note" required' in page
    assert 'Approve<span class="visually-hidden"> Robin\'s review of' in page
    assert "Return to Robin with this note</button>" in page


def test_an_empty_queue_says_so(client, login_as):
    login_as("collective")

    page = page_text(client.get("/collective/queue"))

    assert "Nothing is waiting for approval." in page
    assert "count-badge" not in page


def test_my_own_review_waits_for_another_member(client, people, submit, as_member):
    submit(people["sam"], title="Sam's Pick")
    as_member(people["sam"])

    page = page_text(client.get("/collective/queue"))

    assert "Sam&#39;s Pick" in page
    assert "Your review: another member decides." in page
    assert '<form class="approve-form"' not in page and "<textarea" not in page


def test_approving_my_own_review_is_refused_with_a_reason(app, people, submit, as_member, post):
    review_id = submit(people["sam"])
    as_member(people["sam"])

    for htmx in (False, True):
        response = post(approve_path(review_id), htmx=htmx)

        assert response.status_code == 422
        assert "This is your own review: another member of the collective decides." in page_text(
            response
        )
    assert saved(app, review_id).state == ReviewState.SUBMITTED


def test_the_queue_makes_the_same_queries_for_one_entry_or_many(
    client, app, people, submit, make_user, as_member, count_queries, monkeypatch
):
    monkeypatch.setitem(app.config, "REVIEW_APPROVALS_REQUIRED", 2)
    submit(people["robin"])
    as_member(people["sam"])
    with count_queries() as with_one:
        assert client.get("/collective/queue").status_code == 200
    for n in range(4):
        author = make_user("volunteer", display_name=f"Author {n}")
        review_id = submit(author, authors=[f"Writer {n}", "Second Writer"])
        with app.app_context():
            review = db.session.get(Review, review_id)
            approvals.approve_review(review, db.session.get(User, people["mara"].id), NOW, 2)
            db.session.commit()
    publish_then_revise(app, people, submit)

    with count_queries() as with_many:
        page = page_text(client.get("/collective/queue"))
    assert page.count('class="queue-entry"') == 6
    assert "What changed" in page and "from Mara" in page and "History of this review" in page
    assert len(with_many) == len(with_one)


# --- Approving -----------------------------------------------------------------------------


def test_approving_without_javascript_publishes_and_comes_back_to_the_queue(
    client, app, people, submit, as_member, post
):
    review_id = submit(people["robin"], title="Dispersing Power")
    as_member(people["sam"])

    response = post(approve_path(review_id), {"version": version_of(app, review_id)})

    assert response.status_code == 302
    assert response.headers["Location"] == "/collective/queue"
    page = page_text(client.get("/collective/queue"))
    assert "Robin&#39;s review of “Dispersing Power” is published." in page
    assert "Nothing is waiting for approval." in page
    review = saved(app, review_id)
    assert review.state == ReviewState.PUBLISHED
    assert review.published_body == TEXT.strip()
    assert [action for action, _, _ in events_of(app, review_id)] == [
        "submitted",
        "approved",
        "published",
    ]
    book_page = page_text(client.get(f"/books/{review.book_id}"))
    assert "<p>A <em>patient</em> book about councils" in book_page
    assert "Dispersing Power" in page_text(client.get("/reviews"))


def test_approving_with_htmx_redraws_the_row_the_count_and_the_flash(
    client, app, people, submit, as_member, post
):
    review_id = submit(people["robin"], title="Dispersing Power")
    submit(people["robin"])
    as_member(people["sam"])

    response = post(approve_path(review_id), {"version": version_of(app, review_id)}, htmx=True)

    page = page_text(response)
    assert response.status_code == 200
    assert "<html" not in page
    assert page.lstrip().startswith(f'<article id="queue-review-{review_id}"')
    assert "<strong>Published</strong>" in page
    assert 'id="queue-count" class="queue-count" hx-swap-oob="true">' in page
    assert '<span class="count-badge">1</span>' in page
    assert '<div id="flash-messages" class="flash-messages" hx-swap-oob="true">' in page
    assert "Robin&#39;s review of “Dispersing Power” is published." in page
    assert "You approved it." in page
    assert "HX-Request" in response.headers["Vary"]


def test_with_two_approvals_needed_the_first_waits_and_the_second_publishes(
    client, app, people, submit, as_member, post, monkeypatch
):
    monkeypatch.setitem(app.config, "REVIEW_APPROVALS_REQUIRED", 2)
    review_id = submit(people["robin"])
    as_member(people["sam"])

    first = page_text(post(approve_path(review_id), htmx=True))

    assert "<strong>Approved</strong> — waiting for 1 more approval</p>" in first
    assert 'class="approve-form"' not in first
    assert "Approvals: 1 of 2, from Sam." in first
    assert saved(app, review_id).state == ReviewState.SUBMITTED
    assert "<strong>Approved</strong> — waiting for 1 more" in page_text(
        client.get("/collective/queue")
    )
    again = post(approve_path(review_id))
    assert again.status_code == 422
    assert "You have already approved this submission." in page_text(again)

    as_member(people["mara"])
    assert "Approvals: 1 of 2, from Sam." in page_text(client.get("/collective/queue"))
    post(approve_path(review_id))

    assert saved(app, review_id).state == ReviewState.PUBLISHED
    assert [who for action, who, _ in events_of(app, review_id) if action == "approved"] == [
        "Sam",
        "Mara",
    ]


# --- Returning -----------------------------------------------------------------------------


def test_returning_without_javascript_sends_the_note_to_the_authors_pages(
    client, app, people, submit, as_member, post
):
    review_id = submit(people["robin"], title="Dispersing Power")
    as_member(people["sam"])

    response = post(return_path(review_id), {"note": "Say who it is for.\r\nAnd why."})

    assert response.headers["Location"] == "/collective/queue"
    assert "Robin&#39;s review of “Dispersing Power” is returned with your note." in page_text(
        client.get("/collective/queue")
    )
    assert saved(app, review_id).state == ReviewState.RETURNED
    assert events_of(app, review_id)[-1] == ("returned", "Sam", "Say who it is for.\nAnd why.")
    as_member(people["robin"])
    dashboard = page_text(client.get("/my/"))
    assert 'Returned with a note <span class="count">(1)</span>' in dashboard
    assert "Say who it is for.\nAnd why." in dashboard


def test_returning_with_htmx_redraws_the_row_with_the_outcome(
    client, app, people, submit, as_member, post
):
    review_id = submit(people["robin"])
    as_member(people["sam"])

    response = post(return_path(review_id), {"note": "Shorter, please."}, htmx=True)

    page = page_text(response)
    assert response.status_code == 200
    assert "<strong>Returned to Robin with your note</strong>." in page
    assert "You returned it with a note:" in page and "Shorter, please." in page
    assert '<span id="queue-count" class="queue-count" hx-swap-oob="true"></span>' in page
    assert "is returned with your note." in page


@pytest.mark.parametrize(
    ("note", "message"),
    [
        ("   ", "Write a note for the author: what should change before it&#39;s published?"),
        ("Too long. " * 201, "Keep the note under 2000 characters; it has 2009."),
    ],
)
def test_a_refused_note_comes_back_typed_with_the_reason_by_the_field(
    app, people, submit, as_member, post, note, message
):
    review_id = submit(people["robin"])
    as_member(people["sam"])

    for htmx in (False, True):
        response = post(return_path(review_id), {"note": note}, htmx=htmx)

        page = page_text(response)
        assert response.status_code == 422
        assert f'<ul id="return-note-{review_id}-errors" class="field-errors">' in page
        assert message in page
        assert f"{note}</textarea>" in page
        assert 'aria-invalid="true" autofocus' in page
    assert ("<html" in page) is False
    assert saved(app, review_id).state == ReviewState.SUBMITTED
    assert events_of(app, review_id) == [("submitted", "Robin", "")]


# --- Revisions and history -----------------------------------------------------------------


def test_a_revision_shows_what_changed_and_the_public_keeps_the_old_text_until_approved(
    client, app, people, published_then_revised, as_member, post
):
    book_id = saved(app, published_then_revised).book_id
    as_member(people["mara"])

    page = page_text(client.get("/collective/queue"))

    assert "A revision by <strong>Robin</strong>" in page
    assert "<h3>What changed</h3>" in page
    assert "The <del>old</del><ins>new</ins> text says *<del>slow</del><ins>careful</ins>*." in page
    assert "<p>The new text says <em>careful</em>. A <em>patient</em>" in page
    assert "The old text says <em>slow</em>." in page_text(client.get(f"/books/{book_id}"))

    post(approve_path(published_then_revised))

    book_page = page_text(client.get(f"/books/{book_id}"))
    assert "The new text says <em>careful</em>." in book_page
    assert "The old text says" not in book_page


def test_a_revision_made_through_the_authors_pages_reaches_the_queue(
    client, app, people, submit, as_member, post
):
    review_id = submit(people["robin"])
    as_member(people["sam"])
    post(approve_path(review_id))
    as_member(people["robin"])
    post(f"/my/reviews/{review_id}/submit", {"body": TEXT + " One more *thing*."})

    as_member(people["mara"])
    page = page_text(client.get("/collective/queue"))

    assert "<ins>One more *thing*.</ins>" in page
    assert saved(app, review_id).published_body == TEXT.strip()


def test_the_history_shows_who_did_what_and_the_notes_in_the_queue_and_to_the_author(
    client, app, people, submit, as_member, post
):
    review_id = submit(people["robin"])
    as_member(people["sam"])
    post(return_path(review_id), {"note": "Name the chapter."})
    submit(people["robin"], body=TEXT + " Chapter three.", review_id=review_id)

    as_member(people["mara"])
    queue = page_text(client.get("/collective/queue"))
    as_member(people["robin"])
    edit_page = page_text(client.get(f"/my/reviews/{review_id}/edit"))

    for page, author in ((queue, "Robin"), (edit_page, "You")):
        assert "History of this review" in page
        history = page[page.index('<ol class="review-history">') :]
        assert history.index(f"{author} sent it to the collective.") < history.index(
            "Sam returned it with a note:"
        )
        assert '<blockquote class="review-history-note"><p>Name the chapter.</p>' in history
        assert '<time datetime="2026-11-24T15:00:00+00:00">Nov 24, 2026, 10am</time>' in history


def test_a_draft_nobody_saw_has_no_history_on_its_page(client, login_as, make_book, post):
    login_as()
    response = post("/my/reviews", {"book_id": make_book().id})

    page = page_text(client.get(response.headers["Location"]))

    assert "History of this review" not in page


# --- Decisions that arrive too late --------------------------------------------------------


def test_a_decision_on_a_review_withdrawn_meanwhile_keeps_the_typed_note(
    app, people, submit, as_member, post
):
    review_id = submit(people["robin"])
    with app.app_context():
        robin = db.session.get(User, people["robin"].id)
        reviews.withdraw_review(db.session.get(Review, review_id), robin, NOW)
        db.session.commit()
    as_member(people["sam"])

    response = post(return_path(review_id), {"note": "Too late, but said."}, htmx=True)

    page = page_text(response)
    assert response.status_code == 409
    assert "Its author has withdrawn this review." in page
    assert "<strong>Withdrawn</strong> by Robin" in page
    assert "Your note was not sent." in page and "Too late, but said." in page
    assert 'class="return-form"' not in page


def test_a_decision_on_a_page_drawn_before_another_members_is_refused_with_the_note_kept(
    client, app, people, submit, as_member, post, monkeypatch
):
    monkeypatch.setitem(app.config, "REVIEW_APPROVALS_REQUIRED", 2)
    review_id = submit(people["robin"])
    seen = version_of(app, review_id)
    as_member(people["mara"])
    post(approve_path(review_id), {"version": seen})
    as_member(people["sam"])

    for htmx in (False, True):
        response = post(return_path(review_id), {"note": "Wait!", "version": seen}, htmx=htmx)

        page = page_text(response)
        assert response.status_code == 409
        assert queue_routes.CHANGED_MEANWHILE.replace("'", "&#39;") in page
        assert "Wait!</textarea>" in page
        assert (
            f'id="return-version-{review_id}" name="version" type="hidden" value="{seen + 1}"'
            in (page)
        )
        assert "Approvals: 1 of 2, from Mara." in page
    assert saved(app, review_id).state == ReviewState.SUBMITTED

    post(return_path(review_id), {"note": "Wait!", "version": seen + 1})
    assert saved(app, review_id).state == ReviewState.RETURNED


def test_a_decision_the_database_catches_at_the_same_moment_is_a_409_not_a_500(
    app, people, submit, as_member, post, monkeypatch
):
    review_id = submit(people["robin"])
    approve = approvals.approve_review

    def approve_while_another_request_commits(review, *args, **kwargs):
        # Another member's decision lands after this request read the review.
        db.session.connection().execute(
            text("UPDATE reviews SET version = version + 1 WHERE id = :id"), {"id": review.id}
        )
        return approve(review, *args, **kwargs)

    monkeypatch.setattr(approvals, "approve_review", approve_while_another_request_commits)
    as_member(people["sam"])

    response = post(approve_path(review_id), htmx=True)

    assert response.status_code == 409
    assert "Another member decided on this review at the same moment" in page_text(response)
    review = saved(app, review_id)
    assert (review.state, review.published_body) == (ReviewState.SUBMITTED, None)
    assert events_of(app, review_id) == [("submitted", "Robin", "")]


# --- Nothing typed runs ----------------------------------------------------------------------

ATTACK = "<script>window.__xss = 1</script><img src=x onerror=alert(1)>"


def test_typed_html_in_notes_and_reviews_is_shown_as_text_everywhere(
    client, app, people, submit, as_member, post, monkeypatch
):
    monkeypatch.setitem(app.config, "REVIEW_APPROVALS_REQUIRED", 2)
    revised = submit(people["robin"], body=TEXT + ATTACK)
    with app.app_context():
        review = db.session.get(Review, revised)
        review.published_body = TEXT  # as if an earlier text were published
        db.session.commit()
    returned = submit(people["robin"])
    as_member(people["sam"])

    pages = [
        client.get("/collective/queue"),
        post(approve_path(revised), htmx=True),
        post(return_path(returned), {"note": ATTACK}, htmx=True),
        post(return_path(returned), {"note": ATTACK}),
    ]
    as_member(people["robin"])
    pages += [client.get("/my/"), client.get(f"/my/reviews/{returned}/edit")]

    for response in pages:
        page = page_text(response)
        assert "<script>window" not in page and "<img src=x" not in page
    assert "&lt;script&gt;window.__xss = 1&lt;/script&gt;" in page_text(pages[0])
    assert "&lt;script&gt;" in page_text(pages[-1])


# --- Two members at the same moment, on the real database ----------------------------------


def decide_together(app, requests) -> list:
    """Post each (user, path, data) from its own client and thread, released together."""
    clients = []
    for user, path, data in requests:
        client = sign_in_client(app.test_client(), user)
        clients.append((client, path, {"csrf_token": token_of(client), **data}))
    barrier = threading.Barrier(len(clients))
    answers: list = [None] * len(clients)

    def decide(index, client, path, data):
        try:
            barrier.wait(timeout=10)
            answers[index] = client.post(path, data=data, headers=HTMX)
        except Exception as error:  # noqa: BLE001 - handed to the test, which fails with it
            answers[index] = error

    threads = [
        threading.Thread(target=decide, args=(index, *request))
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


def outcome(app, review_id) -> tuple[Review, list[ReviewEvent]]:
    with app.app_context():
        review = db.session.get(Review, review_id)
        db.session.expunge(review)
        events = list(
            db.session.scalars(select(ReviewEvent).where(ReviewEvent.review_id == review_id))
        )
        return review, events


def actions(events, action) -> list[ReviewEvent]:
    return [event for event in events if event.action == action]


ROUNDS = 10


def test_two_members_approving_at_once_publish_once(app, people, submit):
    for _ in range(ROUNDS):
        review_id = submit(people["robin"])
        version = version_of(app, review_id)
        data = {"version": version}

        answers = decide_together(
            app,
            [
                (people["sam"], approve_path(review_id), data),
                (people["mara"], approve_path(review_id), data),
            ],
        )

        assert sorted(answer.status_code for answer in answers) == [200, 409]
        review, events = outcome(app, review_id)
        assert review.state == ReviewState.PUBLISHED
        assert review.published_body == TEXT.strip()
        assert len(actions(events, ReviewAction.PUBLISHED)) == 1
        assert len(actions(events, ReviewAction.APPROVED)) == 1
        assert actions(events, ReviewAction.RETURNED) == []
        loser = next(answer for answer in answers if answer.status_code == 409)
        assert "<strong>Published</strong>" in page_text(loser)


def test_an_approval_and_a_return_at_once_never_leave_a_mixed_state(app, people, submit):
    outcomes = set()
    for round_number in range(ROUNDS):
        review_id = submit(people["robin"])
        note = f"Say more about the councils (round {round_number})."
        data = {"version": version_of(app, review_id)}

        approved, returned = decide_together(
            app,
            [
                (people["sam"], approve_path(review_id), data),
                (people["mara"], return_path(review_id), {**data, "note": note}),
            ],
        )

        review, events = outcome(app, review_id)
        outcomes.add(review.state)
        assert sorted([approved.status_code, returned.status_code]) == [200, 409]
        if review.state == ReviewState.PUBLISHED:
            assert approved.status_code == 200
            assert len(actions(events, ReviewAction.PUBLISHED)) == 1
            assert actions(events, ReviewAction.RETURNED) == []
            # The loser's note is not lost: it comes back to them, to keep.
            assert "Your note was not sent." in page_text(returned) and note in page_text(returned)
        else:
            assert review.state == ReviewState.RETURNED
            assert returned.status_code == 200
            assert review.published_body is None
            assert actions(events, ReviewAction.PUBLISHED) == []
            assert actions(events, ReviewAction.APPROVED) == []
            assert [event.note for event in actions(events, ReviewAction.RETURNED)] == [note]
            assert "<strong>Returned to Robin</strong> by Mara" in page_text(approved)
    assert outcomes <= {ReviewState.PUBLISHED, ReviewState.RETURNED}


@pytest.fixture
def on_a_server_database(app):
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            pytest.skip(
                "SQLite takes the write lock when a POST begins, so two decisions can never both "
                "read the review before either writes; on PostgreSQL they can"
            )


@pytest.mark.parametrize("second", ["approve", "return"])
def test_when_both_read_the_review_before_either_writes_the_version_decides(
    app, people, submit, monkeypatch, on_a_server_database, second
):
    # Both requests wait here, after reading the review and before changing it.
    both_have_read = threading.Barrier(2)
    for name in ("approve_review", "return_review"):
        decide = getattr(approvals, name)

        def after_both_read(*args, _decide=decide, **kwargs):
            both_have_read.wait(timeout=10)
            return _decide(*args, **kwargs)

        monkeypatch.setattr(approvals, name, after_both_read)
    review_id = submit(people["robin"])
    data = {"version": version_of(app, review_id), "note": "Shorter, please."}
    path = approve_path if second == "approve" else return_path

    answers = decide_together(
        app,
        [(people["sam"], approve_path(review_id), data), (people["mara"], path(review_id), data)],
    )

    assert sorted(answer.status_code for answer in answers) == [200, 409]
    loser = next(answer for answer in answers if answer.status_code == 409)
    assert queue_routes.AT_THE_SAME_MOMENT in page_text(loser)
    review, events = outcome(app, review_id)
    assert review.state in {ReviewState.PUBLISHED, ReviewState.RETURNED}
    decisions = actions(events, ReviewAction.PUBLISHED) + actions(events, ReviewAction.RETURNED)
    assert len(decisions) == 1


# --- Valid HTML ----------------------------------------------------------------------------


def test_the_queue_pages_are_valid_html(
    tmp_path, client, app, people, submit, as_member, post, request
):
    as_member(people["sam"])
    pages = {"empty-queue": client.get("/collective/queue")}
    publish_then_revise(app, people, submit)
    waiting = submit(people["robin"])
    own = submit(people["sam"])
    pages["queue"] = client.get("/collective/queue")
    pages["refused-note"] = post(return_path(waiting), {"note": " "})
    pages["refused-own"] = post(approve_path(own))
    post(return_path(waiting), {"note": "Say more."})
    pages["too-late"] = post(return_path(waiting), {"note": "Again."})
    as_member(people["robin"])
    pages["edit-with-history"] = client.get(f"/my/reviews/{waiting}/edit")
    files = []
    for name, response in pages.items():
        files.append(tmp_path / f"{name}.html")
        files[-1].write_bytes(response.data)

    errors = check_html(request.getfixturevalue("nu_html_checker"), files)

    assert not errors, "HTML errors:\n" + describe(errors)
