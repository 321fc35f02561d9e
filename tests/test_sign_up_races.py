"""People signing up for the same evening at the same moment, through HTTP, on the real
database (the file SQLite database, or PostgreSQL with FIRESTORM_TEST_DATABASE_URL): never
more places given than the event has, the others offered the waiting list; one form sent
twice at once is one sign-up; one place cancelled twice at once moves one person up."""

import secrets

from hold_helpers import hidden_fields
from review_helpers import page_text, post_at_once
from sign_up_helpers import NOW, a_person, add_event, link_of, sign_up, sign_ups_of

from firestorm.events import signing_up
from firestorm.extensions import limiter

ROUNDS = 10
DATE = "2026-12-11T00:00:00Z"


def a_form(number: int) -> dict:
    return {"request_key": secrets.token_urlsafe(24), "date": DATE, **a_person(number)}


def people_at_once(app, event_id: int, forms: list[dict]) -> list:
    # Every test client comes from 127.0.0.1: the limit per address is not what is tested.
    limiter.reset()
    return post_at_once(app, [(None, f"/events/{event_id}/sign-up", form) for form in forms])


def places_given(app, event_id: int) -> list[int]:
    return [places for _, places, state in sign_ups_of(app, event_id) if state == "signed up"]


def assert_offered_the_waiting_list(answers) -> None:
    for loser in (answer for answer in answers if answer.status_code == 422):
        page = page_text(loser)
        assert "Someone has just taken the last place" in page
        assert "<h1>Join the waiting list</h1>" in page


def test_four_people_after_the_last_two_places(app, clock):
    clock(NOW)
    for _ in range(ROUNDS):
        event_id = add_event(app, capacity=2)

        answers = people_at_once(app, event_id, [a_form(n) for n in range(4)])

        assert sorted(answer.status_code for answer in answers) == [303, 303, 422, 422]
        assert places_given(app, event_id) == [1, 1]
        assert_offered_the_waiting_list(answers)


def test_one_form_sent_twice_at_once_is_one_sign_up(app, clock):
    clock(NOW)
    for _ in range(ROUNDS):
        event_id = add_event(app, capacity=1)
        form = a_form(1)

        answers = people_at_once(app, event_id, [form, form])

        assert [answer.status_code for answer in answers] == [303, 303]
        assert len({answer.headers["Location"] for answer in answers}) == 1
        assert places_given(app, event_id) == [1]


def test_when_both_are_about_to_count_the_places_the_lock_decides(
    app, clock, meet_before, on_a_server_database
):
    # Both requests wait there, the form read, and then lock and count the places at once:
    # without the row lock both would see one place and both take it.
    clock(NOW)
    both_ready = meet_before(signing_up, "locked_event")
    for _ in range(ROUNDS):
        both_ready.reset()
        event_id = add_event(app, capacity=1)

        answers = people_at_once(app, event_id, [a_form(1), a_form(2)])

        assert sorted(answer.status_code for answer in answers) == [303, 422]
        assert places_given(app, event_id) == [1]
        assert_offered_the_waiting_list(answers)


def test_a_place_cancelled_twice_at_once_moves_one_person_up(app, client, clock):
    clock(NOW)
    for _ in range(ROUNDS):
        event_id = add_event(app, capacity=1)
        leaving = sign_up(app, event_id, name="Ana")
        sign_up(app, event_id, waiting=True, name="Bo")
        sign_up(app, event_id, waiting=True, name="Cy")
        path = f"{link_of(leaving)}/cancel"
        asked = hidden_fields(page_text(client.get(path)))
        del asked["csrf_token"]
        limiter.reset()

        answers = post_at_once(app, [(None, path, asked), (None, path, asked)])

        assert sorted(answer.status_code for answer in answers) == [303, 409]
        assert sign_ups_of(app, event_id) == [
            ("Ana", 1, "cancelled"),
            ("Bo", 1, "signed up"),
            ("Cy", 1, "waiting"),
        ]
