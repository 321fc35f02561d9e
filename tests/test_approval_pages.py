"""The approval queue under /collective/: approving and returning through it (plain forms and
htmx), and the history it leaves. Who may open it: test_approval_access.py. Decisions that
arrive too late or at the same moment: test_approval_races.py."""

from datetime import timedelta

import pytest
from html_checks import check_html, describe_html_errors, save_responses
from review_helpers import (
    NOW,
    TEXT,
    approve_path,
    as_drawn,
    history_of,
    page_text,
    return_path,
    saved,
    token_of,
)
from sqlalchemy import select

from firestorm.catalog.models import Book
from firestorm.database import db
from firestorm.people.models import User
from firestorm.reviews import approvals, workflow
from firestorm.reviews.models import Review, ReviewState

OLD_TEXT = "The old text says *slow*. " + TEXT
NEW_TEXT = "The new text says *careful*. " + TEXT


# --- Arranging -----------------------------------------------------------------------------


def publish_then_revise(app, people, submit, old=OLD_TEXT, new=NEW_TEXT) -> int:
    """Robin's review of Dispersing Power, published, and a revision of it waiting."""
    review_id = submit(people["robin"], body=old, title="Dispersing Power")
    with app.app_context():
        review = db.session.get(Review, review_id)
        sam = db.session.get(User, people["sam"].id)
        approvals.approve_review(review, sam, NOW, 1, seen_round=review.round)
        db.session.commit()
    submit(people["robin"], body=new, review_id=review_id)
    return review_id


@pytest.fixture
def published_then_revised(app, people, submit):
    return publish_then_revise(app, people, submit)


# --- The queue -----------------------------------------------------------------------------


def test_the_queue_shows_each_waiting_review_oldest_first(
    client, app, people, submit, make_user, as_member
):
    theo = make_user("volunteer", display_name="Theo")
    submit(theo, title="Later Book", at=NOW + timedelta(hours=2))
    first = submit(people["robin"], title="Dispersing Power", at=NOW)
    submit(people["robin"], title="Drafted Only")
    with app.app_context():
        workflow.withdraw_review(
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
    as_member(people["sam"])

    page = page_text(client.get("/collective/queue"))

    for path in (approve_path(review_id), return_path(review_id)):
        assert f'action="{path}" method="post"' in page
        assert f'hx-post="{path}" hx-target="#queue-review-{review_id}" hx-swap="outerHTML"' in page
    assert f'<article id="queue-review-{review_id}"' in page
    # The submission the member reads: the author's first.
    assert f'id="approve-round-{review_id}" name="round" type="hidden" value="1"' in page
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
        response = post(approve_path(review_id), as_drawn(app, review_id), htmx=htmx)

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
            mara = db.session.get(User, people["mara"].id)
            approvals.approve_review(review, mara, NOW, 2, seen_round=review.round)
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

    response = post(approve_path(review_id), as_drawn(app, review_id))

    assert response.status_code == 302
    assert response.headers["Location"] == "/collective/queue"
    page = page_text(client.get("/collective/queue"))
    assert "Robin&#39;s review of “Dispersing Power” is published." in page
    assert "Nothing is waiting for approval." in page
    review = saved(app, review_id)
    assert review.state == ReviewState.PUBLISHED
    assert review.published_body == TEXT.strip()
    assert [action for action, _, _ in history_of(app, review_id)] == [
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

    response = post(approve_path(review_id), as_drawn(app, review_id), htmx=True)

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
    assert "HX-Request-Type" in response.vary


def test_with_two_approvals_needed_the_first_waits_and_the_second_publishes(
    client, app, people, submit, as_member, post, monkeypatch
):
    monkeypatch.setitem(app.config, "REVIEW_APPROVALS_REQUIRED", 2)
    review_id = submit(people["robin"])
    as_member(people["sam"])

    response = post(approve_path(review_id), as_drawn(app, review_id), htmx=True)

    first = page_text(response)
    assert response.status_code == 200
    assert "<strong>Approved</strong> — waiting for 1 more approval</p>" in first
    assert 'class="approve-form"' not in first
    assert "Approvals: 1 of 2, from Sam." in first
    assert saved(app, review_id).state == ReviewState.SUBMITTED
    assert "<strong>Approved</strong> — waiting for 1 more" in page_text(
        client.get("/collective/queue")
    )
    again = post(approve_path(review_id), as_drawn(app, review_id))
    assert again.status_code == 422
    assert "You have already approved this submission." in page_text(again)

    as_member(people["mara"])
    assert "Approvals: 1 of 2, from Sam." in page_text(client.get("/collective/queue"))
    assert post(approve_path(review_id), as_drawn(app, review_id)).status_code == 302

    assert saved(app, review_id).state == ReviewState.PUBLISHED
    assert [who for action, who, _ in history_of(app, review_id) if action == "approved"] == [
        "Sam",
        "Mara",
    ]


# --- Returning -----------------------------------------------------------------------------


def test_returning_without_javascript_sends_the_note_to_the_authors_pages(
    client, app, people, submit, as_member, post
):
    review_id = submit(people["robin"], title="Dispersing Power")
    as_member(people["sam"])

    response = post(
        return_path(review_id),
        {**as_drawn(app, review_id), "note": "Say who it is for.\r\nAnd why."},
    )

    assert response.headers["Location"] == "/collective/queue"
    assert "Robin&#39;s review of “Dispersing Power” is returned with your note." in page_text(
        client.get("/collective/queue")
    )
    assert saved(app, review_id).state == ReviewState.RETURNED
    assert history_of(app, review_id)[-1] == ("returned", "Sam", "Say who it is for.\nAnd why.")
    as_member(people["robin"])
    dashboard = page_text(client.get("/my/"))
    assert 'Returned with a note <span class="count">(1)</span>' in dashboard
    assert "Say who it is for.\nAnd why." in dashboard


def test_returning_with_htmx_redraws_the_row_with_the_outcome(
    client, app, people, submit, as_member, post
):
    review_id = submit(people["robin"])
    as_member(people["sam"])

    response = post(
        return_path(review_id), {**as_drawn(app, review_id), "note": "Shorter, please."}, htmx=True
    )

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
        response = post(
            return_path(review_id), {**as_drawn(app, review_id), "note": note}, htmx=htmx
        )

        page = page_text(response)
        assert response.status_code == 422
        assert f'<ul id="return-note-{review_id}-errors" class="field-errors">' in page
        assert message in page
        assert f"{note}</textarea>" in page
        assert 'aria-invalid="true" autofocus' in page
    assert ("<html" in page) is False
    assert saved(app, review_id).state == ReviewState.SUBMITTED
    assert history_of(app, review_id) == [("submitted", "Robin", "")]


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

    post(approve_path(published_then_revised), as_drawn(app, published_then_revised))

    book_page = page_text(client.get(f"/books/{book_id}"))
    assert "The new text says <em>careful</em>." in book_page
    assert "The old text says" not in book_page


def test_a_revision_made_through_the_authors_pages_reaches_the_queue(
    client, app, people, submit, as_member, post
):
    review_id = submit(people["robin"])
    as_member(people["sam"])
    post(approve_path(review_id), as_drawn(app, review_id))
    as_member(people["robin"])
    post(
        f"/my/reviews/{review_id}/submit",
        {**as_drawn(app, review_id), "body": TEXT + " One more *thing*."},
    )

    as_member(people["mara"])
    page = page_text(client.get("/collective/queue"))

    assert "<ins>One more *thing*.</ins>" in page
    assert saved(app, review_id).published_body == TEXT.strip()


def test_the_history_shows_who_did_what_and_the_notes_in_the_queue_and_to_the_author(
    client, app, people, submit, as_member, post
):
    review_id = submit(people["robin"])
    as_member(people["sam"])
    post(return_path(review_id), {**as_drawn(app, review_id), "note": "Name the chapter."})
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

    # Drawn, so a submission can fill it in place, but hidden while it has nothing to say.
    assert 'aria-labelledby="history-heading" hidden>' in page
    assert "sent it to the collective" not in page


# --- Nothing typed runs ----------------------------------------------------------------------

ATTACK = "<script>window.__xss = 1</script><img src=x onerror=alert(1)>"


def test_typed_html_in_notes_and_reviews_is_shown_as_text_everywhere(
    client, app, people, submit, as_member, post, monkeypatch
):
    monkeypatch.setitem(app.config, "REVIEW_APPROVALS_REQUIRED", 2)
    revised = publish_then_revise(app, people, submit, old=TEXT, new=TEXT + ATTACK)
    returned = submit(people["robin"])
    as_member(people["sam"])

    pages = [
        client.get("/collective/queue"),
        post(approve_path(revised), as_drawn(app, revised), htmx=True),
        post(return_path(returned), {**as_drawn(app, returned), "note": ATTACK}, htmx=True),
        post(return_path(returned), {**as_drawn(app, returned), "note": ATTACK}),
    ]
    as_member(people["robin"])
    pages += [client.get("/my/"), client.get(f"/my/reviews/{returned}/edit")]

    # Approved (one more to go), returned, refused as too late, then the author's two pages.
    assert [response.status_code for response in pages] == [200, 200, 200, 409, 200, 200]
    for response in pages:
        page = page_text(response)
        assert "<script>window" not in page and "<img src=x" not in page
    assert "&lt;script&gt;window.__xss = 1&lt;/script&gt;" in page_text(pages[0])
    assert "&lt;script&gt;" in page_text(pages[-1])


# --- Valid HTML ----------------------------------------------------------------------------


def test_the_queue_pages_are_valid_html(
    tmp_path, client, app, people, submit, as_member, post, nu_html_checker
):
    as_member(people["sam"])
    pages = {"empty-queue": client.get("/collective/queue")}
    publish_then_revise(app, people, submit)
    waiting = submit(people["robin"])
    own = submit(people["sam"])
    pages["queue"] = client.get("/collective/queue")
    pages["refused-note"] = post(return_path(waiting), {**as_drawn(app, waiting), "note": " "})
    pages["refused-own"] = post(approve_path(own), as_drawn(app, own))
    post(return_path(waiting), {**as_drawn(app, waiting), "note": "Say more."})
    pages["too-late"] = post(return_path(waiting), {**as_drawn(app, waiting), "note": "Again."})
    as_member(people["robin"])
    pages["edit-with-history"] = client.get(f"/my/reviews/{waiting}/edit")

    errors = check_html(nu_html_checker, save_responses(pages, tmp_path))

    assert not errors, "HTML errors:\n" + describe_html_errors(errors)


@pytest.mark.parametrize("path_of", [approve_path, return_path])
def test_a_decision_posted_with_no_fields_at_all_decides_nothing(
    app, client, people, submit, as_member, path_of
):
    """With an empty body there is no form data at all: a decision that says nothing of the
    submission it read is refused as out of date, never taken unchecked."""
    review_id = submit(people["robin"], title="Dispersing Power")
    as_member(people["sam"])
    token = token_of(client)

    response = client.post(path_of(review_id), headers={"X-CSRFToken": token})

    assert response.status_code == 409
    assert saved(app, review_id).state == ReviewState.SUBMITTED
    assert history_of(app, review_id)[-1][0] == "submitted"
