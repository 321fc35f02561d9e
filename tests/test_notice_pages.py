"""Notices on the author's dashboard (/my/): shown until read, marked read in place or by a
plain form, only by their owner; and mailed after the decision when the site sends mail."""

import logging
import smtplib
from urllib.parse import urlsplit

import pytest
from html_checks import check_html, describe_html_errors, save_responses
from mail_helpers import FakeSMTP, commits_failing, read_when_mailed
from review_helpers import (
    HTMX,
    approve_path,
    as_drawn,
    not_found_page,
    page_text,
    return_path,
    saved,
)
from sqlalchemy import select

from firestorm.database import db
from firestorm.notices.models import Notice
from firestorm.reviews.models import Review, ReviewState

# Robin's text, and another volunteer's: neither may travel in a notice's email.
ROBINS_TEXT = "Robin thinks this book about councils is patient and careful. " * 2
THEOS_TEXT = "Theo's own words about mutual aid, which only Theo and the public read. " * 2


@pytest.fixture
def decide(app, people, as_member, post):
    """decide("approve" | "return", review_id, note=…): Sam decides through the queue's forms,
    as the page sends them; the client stays signed in as Sam."""

    def decide(step, review_id, note="Say who it is for."):
        as_member(people["sam"])
        path = approve_path(review_id) if step == "approve" else return_path(review_id)
        return post(path, as_drawn(app, review_id, note=note))

    return decide


@pytest.fixture
def robins_notices(app, people, submit, decide):
    """Robin's review of Dispersing Power returned with a note, and of Mutual Aid published."""
    returned = submit(people["robin"], title="Dispersing Power", body=ROBINS_TEXT)
    published = submit(people["robin"], title="Mutual Aid", body=ROBINS_TEXT)
    assert decide("return", returned, "Say who it is for.").status_code == 302
    assert decide("approve", published).status_code == 302
    return {"returned": returned, "published": published}


def unread_ids(app, person) -> list[int]:
    with app.app_context():
        return list(
            db.session.scalars(
                db.select(Notice.id)
                .where(Notice.user_id == person.id, Notice.read_at.is_(None))
                .order_by(Notice.id)
            )
        )


def read_path(notice_id: int) -> str:
    return f"/my/notices/{notice_id}/read"


# --- The dashboard ---------------------------------------------------------------------------


def test_the_dashboard_shows_unread_notices_first_with_links_to_the_reviews(
    client, people, as_member, robins_notices
):
    as_member(people["robin"])

    page = page_text(client.get("/my/"))

    notices = page.index("News about your reviews")
    assert notices < page.index("Drafts")
    assert "The collective returned your review of “Dispersing Power” with a note." in page
    assert "Say who it is for." in page[notices:]
    assert "Your review of “Mutual Aid” is published: everyone can read it now." in page
    assert f'href="/my/reviews/{robins_notices["returned"]}/edit"' in page[notices:]
    assert "See it on the book" in page
    assert "(2 unread)" in page and "Mark all as read" in page


def test_notices_are_shown_to_their_author_only(client, people, as_member, robins_notices):
    as_member(people["mara"])

    page = page_text(client.get("/my/"))

    assert "News about your reviews" not in page
    assert "Dispersing Power" not in page


def test_a_dashboard_without_unread_notices_has_no_notices_section(client, login_as):
    login_as("volunteer")

    page = page_text(client.get("/my/"))

    assert 'id="notices"' not in page


# --- Marking read ----------------------------------------------------------------------------


def test_marking_a_notice_read_without_javascript_comes_back_to_the_dashboard(
    app, client, people, as_member, post, robins_notices
):
    as_member(people["robin"])
    first, second = unread_ids(app, people["robin"])

    response = post(read_path(first))

    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/my/"
    page = page_text(client.get("/my/"))
    assert "Marked as read." in page
    assert "(1 unread)" in page
    assert unread_ids(app, people["robin"]) == [second]


def test_marking_a_notice_read_with_htmx_redraws_the_notices_in_place(
    app, client, people, as_member, post, robins_notices
):
    as_member(people["robin"])
    first, second = unread_ids(app, people["robin"])

    one_left = post(read_path(first), htmx=True)
    none_left = post(read_path(second), htmx=True)

    assert one_left.status_code == 200
    assert "(1 unread)" in page_text(one_left)
    assert "<html" not in page_text(one_left)
    assert 'id="flash-messages"' in page_text(one_left) and "Marked as read." in page_text(one_left)
    assert "You've read all your notices." in page_text(none_left)
    assert "autofocus" in page_text(none_left)
    assert "HX-Request-Type" in one_left.headers["Vary"]
    assert unread_ids(app, people["robin"]) == []


def test_marking_all_read(app, client, people, as_member, post, robins_notices):
    as_member(people["robin"])

    response = post("/my/notices/read", htmx=True)

    assert response.status_code == 200
    assert "You've read all your notices." in page_text(response)
    assert unread_ids(app, people["robin"]) == []
    assert 'id="notices"' not in page_text(client.get("/my/"))


def test_someone_elses_notice_is_not_found_and_stays_unread(
    app, client, people, as_member, post, robins_notices
):
    first, second = unread_ids(app, people["robin"])
    as_member(people["mara"])

    plain = post(read_path(first))
    in_place = post(read_path(second), htmx=True)
    everything = post("/my/notices/read")

    assert (plain.status_code, in_place.status_code) == (404, 404)
    assert everything.status_code == 302
    assert unread_ids(app, people["robin"]) == [first, second]


def test_an_unknown_notice_is_not_found(client, login_as, post):
    login_as("volunteer")

    not_found_page(post(read_path(999_999)))
    not_found_page(post("/my/notices/0/read"))


def test_strangers_are_sent_to_sign_in_and_nothing_is_marked(
    app, client, people, csrf_token, robins_notices
):
    first, second = unread_ids(app, people["robin"])
    client.post("/logout", data={"csrf_token": csrf_token()})
    token = csrf_token()

    for path in (read_path(first), "/my/notices/read"):
        plain = client.post(path, data={"csrf_token": token})
        in_place = client.post(path, data={"csrf_token": token}, headers=HTMX)

        assert plain.status_code == 302, path
        assert urlsplit(plain.headers["Location"]).path == "/login", path
        assert in_place.status_code == 401, path
    assert unread_ids(app, people["robin"]) == [first, second]


def test_marking_read_needs_the_csrf_token(app, client, people, as_member, robins_notices):
    first, _ = unread_ids(app, people["robin"])
    as_member(people["robin"])

    assert client.post(read_path(first)).status_code == 400
    assert client.get(read_path(first)).status_code == 405
    assert first in unread_ids(app, people["robin"])


# --- Mail ------------------------------------------------------------------------------------


def test_a_return_mails_the_author_the_note_and_a_link_but_no_review_text(
    app, people, make_user, submit, decide, publish_review, make_book, mail_server
):
    theo = make_user("volunteer", display_name="Theo")
    publish_review(make_book("Mutual Aid"), theo, body=THEOS_TEXT)
    mail_server.clear()
    review_id = submit(people["robin"], title="Dispersing Power", body=ROBINS_TEXT)

    decide("return", review_id, "Say who it is for.")

    [message] = mail_server
    body = message.get_content()
    assert message["To"] == people["robin"].email
    assert message["Subject"] == "Your review of “Dispersing Power” came back with a note"
    assert "The collective returned your review of “Dispersing Power” with a note." in body
    assert "> Say who it is for." in body
    assert f"https://books.example.org/my/reviews/{review_id}/edit" in body
    assert "mutual aid" not in body.lower() and "councils" not in body


def test_publishing_mails_the_author_once(people, submit, decide, mail_server):
    review_id = submit(people["robin"], title="Dispersing Power")

    decide("approve", review_id)

    assert [message["Subject"] for message in mail_server] == [
        "Your review of “Dispersing Power” is published"
    ]
    assert [message["To"] for message in mail_server] == [people["robin"].email]


def test_a_refused_decision_mails_nobody(app, people, submit, as_member, post, mail_server):
    review_id = submit(people["robin"])
    as_member(people["sam"])

    stale = post(approve_path(review_id), {"round": 0}, htmx=True)
    empty_note = post(return_path(review_id), as_drawn(app, review_id, note="  "))

    assert (stale.status_code, empty_note.status_code) == (409, 422)
    assert mail_server == []


def test_the_notice_is_mailed_once_the_decision_is_committed(
    app, people, submit, decide, mail_server, monkeypatch
):
    review_id = submit(people["robin"])
    seen = read_when_mailed(monkeypatch, select(Review.state).where(Review.id == review_id))

    decide("approve", review_id)

    assert seen == [[(ReviewState.PUBLISHED,)]]
    assert len(mail_server) == 1


def test_a_decision_whose_commit_fails_mails_nobody(
    app, people, submit, decide, mail_server, monkeypatch
):
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    review_id = submit(people["robin"])

    with commits_failing(app):
        response = decide("approve", review_id)

    assert response.status_code == 500
    assert saved(app, review_id).state == ReviewState.SUBMITTED
    assert mail_server == []
    assert decide("approve", review_id).status_code == 302
    assert [message["To"] for message in mail_server] == [people["robin"].email]


def test_without_mail_settings_nothing_is_sent(people, submit, decide, monkeypatch):
    sent = FakeSMTP.sent = []
    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    review_id = submit(people["robin"])

    assert decide("approve", review_id).status_code == 302
    assert sent == []


def test_a_mail_failure_leaves_the_decision_made_and_logs_no_address(
    app, people, submit, decide, mail_server, monkeypatch, caplog
):
    def refuse(self, message):
        raise smtplib.SMTPRecipientsRefused({message["To"]: (550, b"No such mailbox")})

    monkeypatch.setattr(FakeSMTP, "send_message", refuse)
    review_id = submit(people["robin"])

    with caplog.at_level(logging.WARNING, logger="firestorm"):
        response = decide("approve", review_id)

    assert response.status_code == 302
    assert saved(app, review_id).state == ReviewState.PUBLISHED
    assert len(unread_ids(app, people["robin"])) == 1
    assert (
        f"Mail not sent, notice to user {people['robin'].id} about review {review_id}: "
        in caplog.text
    )
    assert people["robin"].email not in caplog.text


# --- Valid HTML ------------------------------------------------------------------------------


def test_the_dashboard_with_notices_is_valid_html(
    tmp_path, app, client, people, as_member, post, robins_notices, nu_html_checker
):
    as_member(people["robin"])
    pages = {"dashboard-with-notices": client.get("/my/")}
    first, _ = unread_ids(app, people["robin"])
    pages["dashboard-one-read"] = client.get(
        urlsplit(post(read_path(first)).headers["Location"]).path
    )

    errors = check_html(nu_html_checker, save_responses(pages, tmp_path))

    assert not errors, "HTML errors:\n" + describe_html_errors(errors)
