"""The events desk's sign-up lists, /collective/events/<id>/signed-up (firestorm/collective/
sign_up_routes.py): each date's list and waiting list with contacts, for members only;
printable; and a message to everyone signed up for a date, one email each via the outbox."""

from urllib.parse import parse_qs, urlsplit

import pytest
from hold_helpers import hidden_fields
from html_checks import check_html, describe_html_errors, save_responses
from review_helpers import not_found_page, page_text, token_of
from sign_up_helpers import NOW, add_event, sign_up
from sqlalchemy import select

from firestorm.database import db
from firestorm.events.sign_up_models import SignUp
from firestorm.outbox.models import OutgoingMessage

DATE = "2026-12-11T00:00:00Z"


def desk_routes(event_id: int) -> list[tuple[str, str]]:
    base = f"/collective/events/{event_id}/signed-up"
    return [("GET", base), ("GET", f"{base}/message"), ("POST", f"{base}/message")]


def outbox(app) -> list[tuple[str, str, str]]:
    with app.app_context():
        rows = db.session.scalars(select(OutgoingMessage).order_by(OutgoingMessage.id))
        return [(row.recipient, row.subject, row.body) for row in rows]


@pytest.fixture
def evening(app, clock):
    """An event with 4 places: Ana (2) and Bo (phone only, 2) signed up, Cy waiting."""
    clock(NOW)
    event_id = add_event(app, capacity=4)
    sign_up(app, event_id, places=2, name="Ana Ames", email="ana@example.org")
    sign_up(app, event_id, places=2, name="Bo Bell", email="", phone="828-555-0143")
    sign_up(app, event_id, places=1, waiting=True, name="Cy Cole", email="cy@example.org")
    return event_id


def test_strangers_are_sent_to_sign_in_and_volunteers_refused_and_nothing_is_sent(
    app, client, login_as, evening
):
    form = {"csrf_token": token_of(client), "date": DATE, "message": "Moved to 8pm."}
    for method, path in desk_routes(evening):
        response = client.open(path, method=method, data=form)
        assert response.status_code == 302, path
        location = urlsplit(response.headers["Location"])
        assert (location.path, parse_qs(location.query)["next"]) == ("/login", [path])

    login_as("volunteer")
    form["csrf_token"] = token_of(client)
    for method, path in desk_routes(evening):
        assert client.open(path, method=method, data=form).status_code == 403, path
    assert outbox(app) == []


def test_a_member_sees_each_list_with_contacts_and_the_places_left(client, login_as, evening):
    login_as("collective")

    events = page_text(client.get("/collective/events"))
    page = page_text(client.get(f"/collective/events/{evening}/signed-up"))

    assert f'href="/collective/events/{evening}/signed-up"' in events
    assert "Full" in page
    assert "Signed up: 4 of 4 places" in page
    for words in ("Ana Ames", "ana@<wbr>example<wbr>.org", "Bo Bell", "828-555-0143"):
        assert words in page
    waiting = page.split("Waiting list, in turn")[1]
    assert "Cy Cole" in waiting and "Ana Ames" not in waiting
    # Printed, the page leaves out its links (the site's print styles).
    assert 'class="screen-only"' in page


def test_the_public_never_sees_the_names(app, client, evening):
    page = page_text(client.get(f"/events/{evening}"))

    assert "Ana Ames" not in page and "Full" in page


def test_an_event_without_places_or_a_date_it_lacks_has_no_lists(app, client, login_as, clock):
    clock(NOW)
    no_places = add_event(app, capacity=None)
    with_places = add_event(app, capacity=4)
    login_as("collective")

    not_found_page(client.get(f"/collective/events/{no_places}/signed-up"))
    not_found_page(client.get(f"/collective/events/{with_places + 1}/signed-up"))
    not_found_page(
        client.get(f"/collective/events/{with_places}/signed-up/message?date=2026-12-12")
    )


def test_the_message_goes_to_each_person_signed_up_with_an_email(
    app, client, login_as, evening, mail_server
):
    login_as("collective")
    opened = page_text(client.get(f"/collective/events/{evening}/signed-up/message?date={DATE}"))

    response = client.post(
        f"/collective/events/{evening}/signed-up/message",
        data={**hidden_fields(opened), "message": "We start at 8pm, not 7."},
    )

    assert "2 people signed up." in opened
    assert response.status_code == 302
    assert response.headers["Location"] == f"/collective/events/{evening}/signed-up"
    [(to, subject, body)] = outbox(app)
    assert to == "ana@example.org"
    assert "a change" in subject
    assert "We start at 8pm, not 7." in body and "Film night" in body
    assert [message["To"] for message in mail_server] == ["ana@example.org"]
    page = page_text(client.get(f"/collective/events/{evening}/signed-up"))
    assert "Emailed 1 person. Tell these yourself (no email, or the site sends none): Bo Bell." in (
        page
    )


@pytest.mark.parametrize(
    ("message", "words"),
    [
        ("", "Write the message: what changed, in a few words."),
        ("   \n ", "Write the message: what changed, in a few words."),
        ("x" * 2001, "Keep the message under 2,000 characters."),
    ],
)
def test_a_bad_message_is_refused_in_words_and_kept(app, client, login_as, evening, message, words):
    login_as("collective")
    opened = page_text(client.get(f"/collective/events/{evening}/signed-up/message"))

    response = client.post(
        f"/collective/events/{evening}/signed-up/message",
        data={**hidden_fields(opened), "message": message},
    )

    page = page_text(response, status=422)
    assert words in page
    assert 'id="message-errors"' in page
    if message.strip():
        assert message in page
    assert outbox(app) == []


def test_the_desk_pages_are_valid_html(tmp_path, app, client, login_as, evening, nu_html_checker):
    login_as("collective")
    opened = client.get(f"/collective/events/{evening}/signed-up/message")
    pages = {
        "sign-up-lists": client.get(f"/collective/events/{evening}/signed-up"),
        "sign-up-message": opened,
        "sign-up-message-refused": client.post(
            f"/collective/events/{evening}/signed-up/message",
            data={**hidden_fields(page_text(opened)), "message": ""},
        ),
    }
    assert [response.status_code for response in pages.values()] == [200, 200, 422]

    errors = check_html(nu_html_checker, save_responses(pages, tmp_path))

    assert not errors, "HTML errors:\n" + describe_html_errors(errors)


def test_deleting_an_event_deletes_its_sign_ups(app, client, login_as, evening):
    login_as("collective")
    asked = page_text(client.get(f"/collective/events/{evening}/delete"))

    response = client.post(f"/collective/events/{evening}/delete", data=hidden_fields(asked))

    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalars(select(SignUp)).all() == []
