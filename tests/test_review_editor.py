"""The review editor under /my/reviews/: writing and saving, the preview, sending to the
collective, withdrawing, and nothing a reviewer types running in a browser."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from html_checks import XSS_ATTACKS, PageElements
from review_helpers import GOOD_TEXT, as_drawn, page_text, saved, token_of
from sqlalchemy import select, text

from firestorm.catalog.models import Book
from firestorm.database import db
from firestorm.reviews import workflow
from firestorm.reviews.models import ReviewAction, ReviewEvent, ReviewState
from firestorm.reviews.rendering import render_markdown

NEW_YORK = ZoneInfo("America/New_York")


def events_of(app, review_id) -> list[str]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(ReviewEvent.action)
                .where(ReviewEvent.review_id == review_id)
                .order_by(ReviewEvent.id)
            )
        )


# --- Writing -------------------------------------------------------------------------------


def test_the_editor_tells_the_limits_and_counts_the_characters(client, login_as, review_of):
    review_id = review_of(login_as(), body="Short *and* sweet.")

    page = page_text(client.get(f"/my/reviews/{review_id}/edit"))

    assert '<label for="review-body">Your review</label>' in page
    assert 'maxlength="10000"' in page
    assert "18 / 10000 characters" in page
    assert "anything up to 10000 characters" in page and "at least 100" in page
    assert 'hx-trigger="input changed delay:500ms"' in page
    assert 'hx-post="/my/reviews/preview"' in page
    assert "<p>Short <em>and</em> sweet.</p>" in page


def test_a_returned_review_shows_the_collectives_note(client, login_as, review_of, note_a_return):
    review_id = review_of(login_as(), ReviewState.SUBMITTED)
    note_a_return(review_id, "Too many <b>spoilers</b>.")

    page = page_text(client.get(f"/my/reviews/{review_id}/edit"))

    assert "Returned to you with a note" in page
    assert "Too many &lt;b&gt;spoilers&lt;/b&gt;." in page


def test_a_review_waiting_for_approval_is_shown_not_edited(client, login_as, review_of):
    review_id = review_of(login_as(), ReviewState.SUBMITTED, at=datetime(2026, 11, 2, tzinfo=UTC))

    page = page_text(client.get(f"/my/reviews/{review_id}/edit"))

    assert "Sent to the collective for approval" in page
    assert "You sent it on Nov 1, 2026" in page  # evening in New York
    assert "<textarea" not in page
    assert "Withdraw this review" in page


def test_saving_a_draft_without_javascript_comes_back_to_the_editor(
    client, app, login_as, review_of, post
):
    review_id = review_of(login_as())

    response = post(
        f"/my/reviews/{review_id}", {**as_drawn(app, review_id), "body": "Better *now*.\r\n"}
    )

    assert response.status_code == 302
    assert response.headers["Location"] == f"/my/reviews/{review_id}/edit"
    assert "Draft saved." in page_text(client.get(response.headers["Location"]))
    assert saved(app, review_id).body == "Better *now*."


def test_saving_with_htmx_answers_with_the_time_and_the_new_version(
    client, app, login_as, review_of, post, clock
):
    clock(datetime(2026, 11, 24, 15, 42, tzinfo=NEW_YORK))
    review_id = review_of(login_as())
    version = saved(app, review_id).version

    response = post(
        f"/my/reviews/{review_id}",
        {**as_drawn(app, review_id), "body": "Saved.", "version": version},
        htmx=True,
    )

    page = page_text(response)
    assert response.status_code == 200
    assert "Draft saved at 3:42pm." in page
    assert f'id="review-version" name="version" value="{version + 1}" hx-swap-oob="true"' in page
    assert '<div id="flash-messages" class="flash-messages" hx-swap-oob="true">' in page
    assert "<html" not in page


def test_a_text_over_the_limit_comes_back_with_the_message_by_the_field(
    client, app, login_as, review_of, post
):
    review_id = review_of(login_as())
    too_long = "word " * 2001

    for htmx in (False, True):
        response = post(
            f"/my/reviews/{review_id}", {**as_drawn(app, review_id), "body": too_long}, htmx=htmx
        )

        page = page_text(response)
        assert response.status_code == 422
        assert 'id="review-body-errors"' in page
        assert "at most 10000 characters; this one has 10004." in page
        assert too_long.strip() in page
    assert response.headers["HX-Retarget"] == "#editor"
    assert saved(app, review_id).body == GOOD_TEXT


def test_saving_over_a_change_made_elsewhere_is_refused_with_the_text_kept(
    client, app, login_as, review_of, post
):
    review_id = review_of(login_as())
    version = saved(app, review_id).version
    post(
        f"/my/reviews/{review_id}",
        {**as_drawn(app, review_id), "body": "From the other tab.", "version": version},
    )

    response = post(
        f"/my/reviews/{review_id}", {"body": "From this tab.", "version": version}, htmx=True
    )

    page = page_text(response)
    assert response.status_code == 409
    assert "This review changed meanwhile; reload and try again." in page
    assert "From this tab." in page
    assert f'name="version" value="{version + 1}"' in page
    assert saved(app, review_id).body == "From the other tab."


def test_a_change_landing_at_the_same_moment_is_a_409_not_a_500(
    client, app, login_as, review_of, post, monkeypatch
):
    review_id = review_of(login_as())
    save_draft = workflow.save_draft

    def save_while_another_request_commits(review, *args, **kwargs):
        # Another request's change lands after this one read the review, before it writes.
        db.session.connection().execute(
            text("UPDATE reviews SET version = version + 1 WHERE id = :id"), {"id": review.id}
        )
        save_draft(review, *args, **kwargs)

    monkeypatch.setattr(workflow, "save_draft", save_while_another_request_commits)

    response = post(f"/my/reviews/{review_id}", {**as_drawn(app, review_id), "body": "Mine."})

    assert response.status_code == 409
    assert "This review changed meanwhile; reload and try again." in page_text(response)


def test_editing_a_published_review_leaves_the_public_text_until_approved(
    client, app, login_as, make_book, publish_review, post
):
    author = login_as()
    book = make_book()
    published = publish_review(book, author, body="The approved text.")

    post(f"/my/reviews/{published.id}", {**as_drawn(app, published.id), "body": "A revised text."})

    review = saved(app, published.id)
    assert (review.state, review.body) == (ReviewState.DRAFT, "A revised text.")
    public = page_text(client.get(f"/books/{book.id}"))
    assert "The approved text." in public and "A revised text." not in public


def test_saving_that_starts_a_revision_redraws_the_editor_in_its_new_state(
    client, app, login_as, make_book, publish_review, post
):
    author = login_as()
    published = publish_review(make_book(), author, body="The approved text.")

    response = post(
        f"/my/reviews/{published.id}",
        {**as_drawn(app, published.id), "body": "A revised text."},
        htmx=True,
    )

    text = page_text(response)
    assert response.status_code == 200
    assert response.headers["HX-Retarget"] == "#editor"
    assert 'id="editor"' in text and "Saved at" in text
    assert "This is the text the public sees" not in text


def test_sending_with_htmx_shows_the_new_step_in_the_history_at_once(
    client, app, login_as, review_of, post
):
    review_id = review_of(login_as(), body=GOOD_TEXT)

    response = post(
        f"/my/reviews/{review_id}/submit",
        {**as_drawn(app, review_id), "body": GOOD_TEXT},
        htmx=True,
    )

    text = page_text(response)
    assert '<section id="review-history"' in text and 'hx-swap-oob="true"' in text
    assert "You sent it to the collective." in text


def test_saving_a_draft_again_only_says_when_it_was_saved(client, app, login_as, review_of, post):
    review_id = review_of(login_as(), body="First words.")

    response = post(
        f"/my/reviews/{review_id}", {**as_drawn(app, review_id), "body": "More words."}, htmx=True
    )

    assert "HX-Retarget" not in response.headers
    assert 'id="editor"' not in page_text(response)


# --- Submitting ----------------------------------------------------------------------------


def test_submitting_without_javascript_saves_the_text_and_sends_it(
    client, app, login_as, review_of, post
):
    review_id = review_of(login_as(), body="Too short.")

    response = post(
        f"/my/reviews/{review_id}/submit", {**as_drawn(app, review_id), "body": GOOD_TEXT}
    )

    review = saved(app, review_id)
    assert (review.state, review.round, review.body) == (
        ReviewState.SUBMITTED,
        1,
        GOOD_TEXT,
    )
    assert events_of(app, review_id) == [ReviewAction.SUBMITTED]
    assert response.headers["Location"] == "/my/"
    page = page_text(client.get("/my/"))
    assert "is sent to the collective for approval" in page
    assert 'Waiting for approval <span class="count">(1)</span>' in page


def test_submitting_with_htmx_swaps_the_editor_for_the_sent_state(
    app, client, login_as, review_of, post
):
    review_id = review_of(login_as())

    response = post(
        f"/my/reviews/{review_id}/submit",
        {**as_drawn(app, review_id), "body": GOOD_TEXT},
        htmx=True,
    )

    page = page_text(response)
    assert response.status_code == 200
    assert (response.headers["HX-Retarget"], response.headers["HX-Reswap"]) == (
        "#editor",
        "outerHTML",
    )
    assert 'id="editor"' in page and "Sent to the collective for approval" in page
    assert "autofocus" in page
    assert "<textarea" not in page and "<html" not in page


@pytest.mark.parametrize("htmx", [False, True])
def test_a_text_too_short_to_send_comes_back_filled_in(
    client, app, login_as, review_of, post, htmx
):
    review_id = review_of(login_as(), body="Earlier.")

    response = post(
        f"/my/reviews/{review_id}/submit",
        {**as_drawn(app, review_id), "body": "Nearly done."},
        htmx=htmx,
    )

    page = page_text(response)
    assert response.status_code == 422
    assert "needs at least 100 characters before it goes to the collective" in page
    assert "Nearly done.</textarea>" in page
    assert 'aria-invalid="true"' in page
    review = saved(app, review_id)
    assert (review.state, review.body) == (ReviewState.DRAFT, "Earlier.")


def test_sending_a_review_already_waiting_says_so(app, client, login_as, review_of, post):
    review_id = review_of(login_as(), ReviewState.SUBMITTED)

    response = post(
        f"/my/reviews/{review_id}/submit", {**as_drawn(app, review_id), "body": GOOD_TEXT}
    )

    assert response.status_code == 409
    assert "waiting for the collective&#39;s approval" in page_text(response)


# --- Preview -------------------------------------------------------------------------------


def test_the_preview_is_exactly_what_the_public_will_see(client, login_as):
    login_as()
    body = "A *slow* read.\n\n[our site](https://example.org)"

    response = client.post(
        "/my/reviews/preview",
        data={"body": body},
        headers={
            "HX-Request": "true",
            "HX-Request-Type": "partial",
            "X-CSRFToken": token_of(client),
        },
    )

    assert response.status_code == 200
    assert str(render_markdown(body)) in page_text(response)
    assert '<div class="review-body">' in page_text(response)


def test_preview_without_javascript_redraws_the_editor_with_the_typed_text(
    client, app, login_as, review_of, post
):
    review_id = review_of(login_as(), body="Saved text.")

    response = post("/my/reviews/preview", {"body": "Typed *text*.", "review_id": review_id})

    page = page_text(response)
    assert response.status_code == 200
    assert "Typed *text*.</textarea>" in page
    assert "<p>Typed <em>text</em>.</p>" in page
    assert saved(app, review_id).body == "Saved text."


def test_a_text_too_long_to_preview_says_so(client, login_as, post):
    login_as()

    response = post("/my/reviews/preview", {"body": "x" * 10_001}, htmx=True)

    assert response.status_code == 422
    assert "at most 10000 characters" in page_text(response)


# --- Nothing a reviewer types runs in a browser --------------------------------------------

ATTACKS = XSS_ATTACKS + ["<b onmouseover=alert(1)>raw html</b>"]


def assert_harmless(html: str):
    for tag, attributes in PageElements(html).elements:
        assert tag not in {"svg", "iframe", "img", "b"}, tag
        # Scripts come from /static/ only; the page's JSON-LD is data a browser never runs.
        runs_code = tag == "script" and attributes.get("type") != "application/ld+json"
        assert not runs_code or attributes.get("src", "").startswith("/static/"), attributes
        assert not [name for name in attributes if name.startswith("on")], (tag, attributes)
        assert not attributes.get("href", "").lower().startswith("javascript:"), attributes


@pytest.mark.parametrize("attack", ATTACKS)
def test_typed_html_and_scripts_never_reach_a_page_unescaped(
    app, client, login_as, review_of, post, attack
):
    review_id = review_of(login_as(), body=attack)

    pages = [
        post("/my/reviews/preview", {"body": attack}, htmx=True),
        post("/my/reviews/preview", {"body": attack, "review_id": review_id}),
        client.get(f"/my/reviews/{review_id}/edit"),
        client.get("/my/"),
        post(f"/my/reviews/{review_id}/submit", {**as_drawn(app, review_id), "body": attack}),
    ]

    for response in pages:
        assert_harmless(page_text(response))


# --- Withdrawing ---------------------------------------------------------------------------


def test_withdrawing_asks_first_without_javascript(client, login_as, make_book, publish_review):
    published = publish_review(make_book("Dispersing Power"), login_as())

    page = page_text(client.get(f"/my/reviews/{published.id}/withdraw"))

    assert "Withdraw your review of <cite>Dispersing Power</cite>?" in page
    assert "The public will stop seeing it on the book's page." in page
    assert f'action="/my/reviews/{published.id}/withdraw" method="post"' in page
    assert f'href="/my/reviews/{published.id}/edit">No, keep it as it is' in page


def test_the_htmx_withdraw_control_confirms_in_plain_words(client, login_as, review_of):
    review_id = review_of(login_as(), ReviewState.SUBMITTED)

    page = page_text(client.get(f"/my/reviews/{review_id}/edit"))

    assert f'hx-post="/my/reviews/{review_id}/withdraw"' in page
    assert (
        'hx-confirm="Withdraw your review of “Dispersing Power”? '
        "It leaves the collective's approval queue." in page
    )


def test_withdrawing_takes_a_published_review_off_the_book_page(
    client, app, login_as, make_book, publish_review, post
):
    author = login_as()
    book = make_book("Dispersing Power")
    published = publish_review(book, author, body="Now you see it.")

    response = post(f"/my/reviews/{published.id}/withdraw")

    assert response.headers["Location"] == "/my/"
    assert "You withdrew your review of “Dispersing Power”" in page_text(client.get("/my/"))
    assert saved(app, published.id).state == ReviewState.WITHDRAWN
    assert "Now you see it." not in page_text(client.get(f"/books/{book.id}"))
    with app.app_context():
        assert db.session.get(Book, book.id).last_reviewed_at is None


def test_withdrawing_with_htmx_redraws_the_editor(client, login_as, review_of, post):
    review_id = review_of(login_as(), ReviewState.SUBMITTED)

    response = post(f"/my/reviews/{review_id}/withdraw", htmx=True)

    page = page_text(response)
    assert response.status_code == 200
    assert response.headers["HX-Retarget"] == "#editor"
    assert "Withdrawn</h2>" in page and "<textarea" in page


def test_withdrawing_twice_says_it_is_withdrawn_already(client, login_as, review_of, post):
    review_id = review_of(login_as(), ReviewState.WITHDRAWN)

    response = post(f"/my/reviews/{review_id}/withdraw")

    assert response.status_code == 409
    assert "This review is already withdrawn." in page_text(response)
    assert "is already withdrawn" in page_text(client.get(f"/my/reviews/{review_id}/withdraw"))


def test_a_withdrawn_review_is_taken_up_again_by_saving_it(client, app, login_as, review_of, post):
    review_id = review_of(login_as(), ReviewState.WITHDRAWN)

    post(f"/my/reviews/{review_id}", {**as_drawn(app, review_id), "body": "Again."})

    assert saved(app, review_id).state == ReviewState.DRAFT


@pytest.mark.parametrize("version_sent", [None, "", "abc", "-1"])
def test_a_save_that_cannot_say_which_version_it_edits_is_refused(
    app, login_as, review_of, post, version_sent
):
    review_id = review_of(login_as(), body="Earlier.")
    form = {"body": "Overwriting blind."}
    if version_sent is not None:
        form["version"] = version_sent

    response = post(f"/my/reviews/{review_id}", form, htmx=True)

    assert response.status_code == 409
    assert saved(app, review_id).body == "Earlier."


@pytest.mark.parametrize("htmx", [True, False])
@pytest.mark.parametrize("step", ["", "/submit"])
def test_a_post_with_no_fields_at_all_changes_nothing(
    app, client, login_as, make_book, publish_review, step, htmx
):
    """With an empty body there is no form data at all: the version it says nothing of is
    still out of date, never "don't check"."""
    author = login_as()
    review_id = publish_review(make_book("Mutual Aid"), author, body=GOOD_TEXT).id
    headers = {"X-CSRFToken": token_of(client)}
    if htmx:
        headers |= {"HX-Request": "true", "HX-Request-Type": "partial"}

    response = client.post(f"/my/reviews/{review_id}{step}", headers=headers)

    assert response.status_code == 409
    assert "changed" in page_text(response)
    review = saved(app, review_id)
    assert review.state == ReviewState.PUBLISHED and review.body == GOOD_TEXT
