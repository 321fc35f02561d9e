"""The hours editor's pages (firestorm/collective/hours_routes.py): who may open them; a weekday
changed in its row with htmx or through a plain form; closures and changed hours added, changed
and removed after asking; bad input told next to its field with the form back as typed; and the
banner, the header and /hours saying the change at once. The rules: test_hours_editing.py."""

import re
from datetime import date, datetime, time
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from html_checks import PageElements, check_html, describe_html_errors, save_responses
from page_reading import words_in
from review_helpers import HTMX, page_text, token_of

from firestorm.database import db
from firestorm.shop.models import OpeningHours, SpecialHoursEntry

NEW_YORK = ZoneInfo("America/New_York")
# Tuesday Nov 24, 2026, 3pm at the store: open until 9pm as usual.
NOW = datetime(2026, 11, 24, 15, 0, tzinfo=NEW_YORK)
HOURS = "/collective/hours"
EXCEPTIONS = "/collective/hours/special"


def weekday_path(weekday: int) -> str:
    return f"/collective/hours/weekdays/{weekday}"


@pytest.fixture
def sam(login_as, clock):
    """Sam, a collective member, signed in; every page's clock at NOW."""
    clock(NOW)
    return login_as("collective", display_name="Sam")


@pytest.fixture
def stored(app):
    """stored.week() and stored.special_hours(): the hours as the database holds them."""

    class Stored:
        @staticmethod
        def week() -> list[tuple]:
            with app.app_context():
                rows = db.session.scalars(db.select(OpeningHours).order_by(OpeningHours.weekday))
                return [(r.weekday, r.opens, r.closes, r.note) for r in rows]

        @staticmethod
        def special_hours() -> list[tuple]:
            with app.app_context():
                rows = db.session.scalars(
                    db.select(SpecialHoursEntry).order_by(SpecialHoursEntry.first_day)
                )
                return [(r.first_day, r.last_day, r.opens, r.closes, r.reason) for r in rows]

        @staticmethod
        def add(first_day, last_day=None, reason="Thanksgiving", opens=None, closes=None) -> int:
            with app.app_context():
                row = SpecialHoursEntry(
                    first_day=first_day,
                    last_day=last_day or first_day,
                    reason=reason,
                    opens=opens,
                    closes=closes,
                )
                db.session.add(row)
                db.session.commit()
                return row.id

    return Stored


def field_errors(response, field_id: str) -> list[str]:
    """The messages drawn next to one field."""
    found = re.search(
        rf'<ul id="{field_id}-errors" class="field-errors">(.*?)</ul>', page_text(response), re.S
    )
    return re.findall(r"<li>(.*?)</li>", found.group(1)) if found else []


def inputs_of(response) -> dict[str, dict]:
    """Each <input> with an id, by id: what the form shows as typed."""
    return {
        attrs["id"]: attrs
        for tag, attrs in PageElements(page_text(response)).elements
        if tag == "input" and "id" in attrs
    }


def banner(response) -> str:
    found = re.search(r'<div id="store-status"[^>]*>(.*?)</div>', page_text(response), re.S)
    return words_in(found.group(1))


def header_hours(response) -> str:
    found = re.search(r'<span id="store-week"[^>]*>(.*?)</span>', page_text(response), re.S)
    return words_in(found.group(1))


# --- Who may -----------------------------------------------------------------------------------


def every_route(special_hours_id: int) -> list[tuple[str, str]]:
    return [
        ("GET", HOURS),
        ("GET", weekday_path(1)),
        ("GET", f"{weekday_path(1)}/edit"),
        ("POST", weekday_path(1)),
        ("POST", EXCEPTIONS),
        ("GET", f"{EXCEPTIONS}/{special_hours_id}"),
        ("POST", f"{EXCEPTIONS}/{special_hours_id}"),
        ("GET", f"{EXCEPTIONS}/{special_hours_id}/remove"),
        ("POST", f"{EXCEPTIONS}/{special_hours_id}/remove"),
    ]


CHANGE = {"state": "closed", "first_day": "2026-12-01", "reason": "Mine", "note": "x"}


def test_strangers_are_sent_to_sign_in_and_nothing_changes(client, stored):
    special_hours_id = stored.add(date(2026, 11, 26))
    token = token_of(client)

    for method, path in every_route(special_hours_id):
        response = client.open(path, method=method, data={"csrf_token": token, **CHANGE})

        assert response.status_code == 302, (method, path)
        location = urlsplit(response.headers["Location"])
        assert (location.path, parse_qs(location.query)["next"]) == ("/login", [path])
    assert stored.week() == []
    assert len(stored.special_hours()) == 1


def test_a_stranger_changing_a_weekday_with_htmx_is_told_in_place(client, stored):
    response = client.post(
        weekday_path(1), data={"csrf_token": token_of(client), **CHANGE}, headers=HTMX
    )

    assert response.status_code == 401
    assert "You're signed out." in page_text(response)
    assert stored.week() == []


def test_volunteers_are_refused_and_nothing_changes(client, login_as, csrf_token, stored):
    special_hours_id = stored.add(date(2026, 11, 26))
    login_as("volunteer")

    for method, path in every_route(special_hours_id):
        for headers in ({}, HTMX):
            response = client.open(
                path, method=method, data={"csrf_token": csrf_token(), **CHANGE}, headers=headers
            )
            assert response.status_code == 403, (method, path)
    assert stored.week() == []
    assert stored.special_hours()[0][-1] == "Thanksgiving"


def test_a_post_without_the_csrf_token_changes_nothing(client, sam, stored):
    special_hours_id = stored.add(date(2026, 11, 26))

    for method, path in every_route(special_hours_id):
        if method == "POST":
            for headers in ({}, HTMX):
                assert client.post(path, data=CHANGE, headers=headers).status_code == 400
    assert stored.week() == []
    assert len(stored.special_hours()) == 1


def test_htmx_posts_carry_the_csrf_token_in_the_header_from_the_body(client, sam, stored):
    page = page_text(client.get(HOURS))
    token = page.split('{"X-CSRFToken": "')[1].split('"')[0]

    response = client.post(
        weekday_path(0),
        data={"state": "open", "opens": "12:00", "closes": "17:00"},
        headers={**HTMX, "X-CSRFToken": token},
    )

    assert response.status_code == 200
    assert stored.week()[0] == (0, time(12), time(17), "")


def test_a_get_changes_nothing(client, sam, stored):
    special_hours_id = stored.add(date(2026, 11, 26))

    client.get(f"{HOURS}?state=closed&opens=10:00")
    client.get(f"{weekday_path(1)}?state=closed")
    client.head(f"{EXCEPTIONS}/{special_hours_id}/remove")

    assert stored.week() == []
    assert len(stored.special_hours()) == 1


def test_members_find_hours_in_their_navigation(client, sam):
    page = page_text(client.get(HOURS))

    assert '<a href="/collective/hours" aria-current="page">Hours</a>' in page
    assert '<a href="/collective/hours">Hours</a>' in page_text(client.get("/collective/shelves"))


# --- The week ----------------------------------------------------------------------------------


def test_the_editor_shows_the_usual_week_and_says_when_nothing_is_coming(client, sam):
    page = words_in(page_text(client.get(HOURS)))

    assert "Mondays Closed Change Mondays" in page
    assert "Tuesdays 8am – 9pm Change Tuesdays" in page
    assert "Nothing coming up: the usual week applies every day." in page
    assert "Add a closure or changed hours" in page


def test_a_weekday_opens_for_changing_in_its_row_with_htmx(client, sam):
    response = client.get(f"{weekday_path(1)}/edit", headers=HTMX)

    page = page_text(response)
    assert response.status_code == 200
    assert page.lstrip().startswith('<tr id="weekday-1" class="weekday-editing">')
    assert "<html" not in page
    fields = inputs_of(response)
    assert "checked" in fields["weekday-1-state-0"] and "autofocus" in fields["weekday-1-state-0"]
    assert (fields["weekday-1-opens"]["value"], fields["weekday-1-closes"]["value"]) == (
        "08:00",
        "21:00",
    )
    assert "HX-Request-Type" in response.headers["Vary"]


def test_without_javascript_the_change_link_opens_the_form_on_the_page(client, sam):
    response = client.get(f"{weekday_path(0)}/edit")

    assert response.status_code == 200
    assert "<h1>Hours</h1>" in page_text(response)
    fields = inputs_of(response)
    assert "checked" in fields["weekday-0-state-1"]
    assert '<form class="weekday-form" action="/collective/hours/weekdays/0" method="post"' in (
        page_text(response)
    )
    # Only that row is open.
    assert "weekday-1-opens" not in fields


def test_cancel_brings_the_row_back_in_place_or_goes_back_to_the_page(client, sam):
    row = client.get(weekday_path(1), headers=HTMX)
    assert row.status_code == 200
    assert "8am – 9pm" in page_text(row) and "<form" not in page_text(row).split("</tr>")[0]

    plain = client.get(weekday_path(1))
    assert (plain.status_code, plain.headers["Location"]) == (302, "/collective/hours#weekday-1")


def test_a_weekday_saved_with_htmx_redraws_its_row_the_banner_and_the_header(
    client, sam, post, stored
):
    typed = {"state": "open", "opens": "10:00", "closes": "16:00", "note": "Kitchen closes at 3"}

    response = post(weekday_path(1), typed, htmx=True)

    page = page_text(response)
    assert response.status_code == 200
    assert page.lstrip().startswith('<tr id="weekday-1">')
    assert "10am – 4pm" in page and "Kitchen closes at 3" in page
    assert "Saved: Tuesdays 10am – 4pm (Kitchen closes at 3)." in page
    # Today is a Tuesday: at 3pm it now closes at 4.
    assert banner(response) == "Open now until 4pm"
    assert header_hours(response) == "Tue 10am – 4pm · Wed thru Sun 8am – 9pm · Closed Monday"
    assert stored.week()[1] == (1, time(10), time(16), "Kitchen closes at 3")
    assert [row[1:3] for row in stored.week()][0] == (None, None)


def test_a_weekday_saved_without_javascript_comes_back_to_the_page(client, sam, post, stored):
    response = post(weekday_path(1), {"state": "closed", "opens": "08:00", "closes": "21:00"})

    assert (response.status_code, response.headers["Location"]) == (
        302,
        "/collective/hours#weekday-1",
    )
    page = client.get(HOURS)
    assert "Saved: Tuesdays Closed." in page_text(page)
    assert "Closed today — opens Wednesday at 8am" in banner(page)
    assert stored.week()[1] == (1, None, None, "")


@pytest.mark.parametrize(
    "typed, field, message",
    [
        (
            {"state": "open", "opens": "18:00", "closes": "09:00", "note": "Late"},
            "closes",
            "Closing time must be after opening time (6pm), on the same day.",
        ),
        (
            {"state": "open", "opens": "", "closes": "17:00", "note": "Late"},
            "opens",
            "Give the opening time, like 8:00 or 10:30.",
        ),
        (
            {"state": "open", "opens": "noon", "closes": "17:00", "note": "Late"},
            "opens",
            "Give the opening time, like 8:00 or 10:30.",
        ),
        (
            {"state": "closed", "opens": "08:00", "closes": "21:00", "note": "x" * 201},
            "note",
            "Keep the note under 200 characters.",
        ),
    ],
    ids=["closing-before-opening", "no-opening-time", "not-a-time", "long-note"],
)
def test_a_refused_weekday_comes_back_as_typed_with_why_next_to_the_field(
    client, sam, post, stored, typed, field, message
):
    for htmx in (True, False):
        response = post(weekday_path(3), typed, htmx=htmx)

        assert response.status_code == 422
        field_id = f"weekday-3-{field}"
        assert field_errors(response, field_id) == [message]
        fields = inputs_of(response)
        assert fields[field_id]["aria-invalid"] == "true" and "autofocus" in fields[field_id]
        assert fields["weekday-3-note"]["value"] == typed["note"]
        chosen = "weekday-3-state-0" if typed["state"] == "open" else "weekday-3-state-1"
        assert "checked" in fields[chosen]
        if typed["opens"] in ("18:00", "08:00"):
            assert fields["weekday-3-opens"]["value"] == typed["opens"]
    # With htmx the row alone; without, the page with that row open.
    assert "<h1>Hours</h1>" in page_text(response)
    assert stored.week() == []


def test_a_weekday_that_does_not_exist_is_not_found(client, sam, post):
    assert client.get(f"{weekday_path(7)}/edit").status_code == 404
    assert client.get(weekday_path(9), headers=HTMX).status_code == 404
    assert post(weekday_path(7), {"state": "closed"}).status_code == 404


# --- Closures and changed hours ----------------------------------------------------------------


def test_a_closure_today_closes_the_shop_on_every_page_at_once(app, client, sam, post, stored):
    visitor = app.test_client()
    assert banner(visitor.get("/")) == "Open now until 9pm"

    response = post(
        EXCEPTIONS, {"first_day": "2026-11-24", "state": "closed", "reason": "Burst pipe"}
    )

    assert (response.status_code, response.headers["Location"]) == (302, HOURS)
    assert stored.special_hours() == [
        (date(2026, 11, 24), date(2026, 11, 24), None, None, "Burst pipe")
    ]
    assert "Added: Nov 24, 2026 — Closed: Burst pipe." in page_text(client.get(HOURS))
    for path in ("/", "/hours", "/books"):
        assert banner(visitor.get(path)) == "Closed today (Burst pipe) — opens Wednesday at 8am"
    public_hours = words_in(page_text(visitor.get("/hours")))
    assert "Tuesday (today), Nov 24, 2026 Closed: Burst pipe" in public_hours
    assert "Nov 24, 2026 — Closed: Burst pipe" in public_hours


def test_changed_hours_over_a_range_show_their_hours_and_reason(app, client, sam, post, stored):
    typed = {
        "first_day": "2026-11-24",
        "last_day": "2026-11-27",
        "state": "open",
        "opens": "10:00",
        "closes": "16:00",
        "reason": "Thanksgiving week",
    }

    assert post(EXCEPTIONS, typed).status_code == 302

    visitor = app.test_client()
    assert banner(visitor.get("/")) == "Open now until 4pm (Thanksgiving week)"
    public_hours = words_in(page_text(visitor.get("/hours")))
    assert "Wednesday, Nov 25, 2026 Open 10am – 4pm: Thanksgiving week" in public_hours
    assert "Saturday, Nov 28, 2026 8am – 9pm" in public_hours
    assert "Nov 24, 2026 to Nov 27, 2026 — Open 10am – 4pm: Thanksgiving week" in public_hours
    editor = words_in(page_text(client.get(HOURS)))
    assert "Nov 24, 2026 to Nov 27, 2026 — Open 10am – 4pm: Thanksgiving week" in editor


GOOD_EXCEPTION = {
    "first_day": "2026-12-24",
    "last_day": "",
    "state": "open",
    "opens": "10:00",
    "closes": "16:00",
    "reason": "Christmas Eve",
}


@pytest.mark.parametrize(
    "changes, field, message",
    [
        (
            {"opens": "16:00", "closes": "10:00"},
            "closes",
            "Closing time must be after opening time (4pm), on the same day.",
        ),
        (
            {"first_day": "2026-11-20"},
            "first_day",
            "Nov 20, 2026 is past: closures and changed hours must end today or later.",
        ),
        (
            {"first_day": "2026-11-01", "last_day": "2026-11-23"},
            "last_day",
            "Nov 23, 2026 is past: closures and changed hours must end today or later.",
        ),
        (
            {"first_day": "2026-12-01", "last_day": "2027-02-28"},
            "last_day",
            "That is 90 days: closures and changed hours cover at most 60."
            " Check the dates, or enter a longer time as two.",
        ),
        (
            {"first_day": "2026-12-24", "last_day": "2026-12-20"},
            "last_day",
            "The last day comes before the first day.",
        ),
        ({"first_day": ""}, "first_day", "Give the first day as a date, like 2026-11-26."),
        (
            {"first_day": "2026-02-30"},
            "first_day",
            "Give the first day as a date, like 2026-11-26.",
        ),
        (
            {"first_day": "next tuesday"},
            "first_day",
            "Give the first day as a date, like 2026-11-26.",
        ),
        (
            {"reason": "  "},
            "reason",
            "Say why, in a few words the public will read: “Thanksgiving”, “Stocktaking”.",
        ),
    ],
    ids=[
        "closing-before-opening",
        "in-the-past",
        "ended-in-the-past",
        "over-60-days",
        "end-before-start",
        "no-date",
        "no-such-date",
        "not-a-date",
        "no-reason",
    ],
)
def test_a_refused_exception_comes_back_as_typed_with_why_next_to_the_field(
    client, sam, post, stored, changes, field, message
):
    typed = {**GOOD_EXCEPTION, **changes}

    response = post(EXCEPTIONS, typed)

    assert response.status_code == 422
    assert field_errors(response, field) == [message]
    fields = inputs_of(response)
    assert fields[field]["aria-invalid"] == "true" and "autofocus" in fields[field]
    assert fields["reason"]["value"] == typed["reason"]
    assert (fields["opens"]["value"], fields["closes"]["value"]) == (
        typed["opens"],
        typed["closes"],
    )
    assert "checked" in fields["state-0"]
    for day in ("first_day", "last_day"):
        # A date input can show only a date: anything else comes back empty, as the browser would.
        shown = (
            typed[day]
            if re.fullmatch(r"\d{4}-\d\d-\d\d", typed[day]) and typed[day] != "2026-02-30"
            else ""
        )
        assert fields[day]["value"] == shown
    assert stored.special_hours() == []


def test_an_exception_over_another_is_refused_with_the_others_name(client, sam, post, stored):
    stored.add(date(2026, 12, 24), date(2026, 12, 26), reason="Holidays")

    response = post(EXCEPTIONS, {**GOOD_EXCEPTION, "last_day": "2026-12-31"})

    assert response.status_code == 422
    assert field_errors(response, "first_day") == [
        "These days overlap “Holidays” (Dec 24, 2026 to Dec 26, 2026):"
        " change or remove that one first."
    ]
    assert inputs_of(response)["last_day"]["value"] == "2026-12-31"
    assert [row[-1] for row in stored.special_hours()] == ["Holidays"]


def test_an_exception_is_changed_on_its_own_page(app, client, sam, post, stored):
    special_hours_id = stored.add(date(2026, 11, 26), date(2026, 11, 27))

    page = client.get(f"{EXCEPTIONS}/{special_hours_id}")
    fields = inputs_of(page)
    assert (fields["first_day"]["value"], fields["last_day"]["value"]) == (
        "2026-11-26",
        "2026-11-27",
    )
    assert fields["reason"]["value"] == "Thanksgiving" and "checked" in fields["state-1"]

    response = post(
        f"{EXCEPTIONS}/{special_hours_id}",
        {
            "first_day": "2026-11-26",
            "state": "open",
            "opens": "12:00",
            "closes": "15:00",
            "reason": "Thanksgiving",
        },
    )

    assert (response.status_code, response.headers["Location"]) == (302, HOURS)
    assert stored.special_hours() == [
        (date(2026, 11, 26), date(2026, 11, 26), time(12), time(15), "Thanksgiving")
    ]
    assert "Changed: Nov 26, 2026 — Open 12pm – 3pm: Thanksgiving." in page_text(client.get(HOURS))


def test_a_refused_change_comes_back_on_its_page_as_typed(client, sam, post, stored):
    special_hours_id = stored.add(date(2026, 11, 26))

    response = post(
        f"{EXCEPTIONS}/{special_hours_id}",
        {"first_day": "2026-11-26", "last_day": "2027-03-01", "state": "closed", "reason": "Long"},
    )

    assert response.status_code == 422
    assert "<h1>Change a closure or changed hours</h1>" in page_text(response)
    assert field_errors(response, "last_day") == [
        "That is 96 days: closures and changed hours cover at most 60."
        " Check the dates, or enter a longer time as two."
    ]
    assert inputs_of(response)["reason"]["value"] == "Long"
    assert stored.special_hours() == [
        (date(2026, 11, 26), date(2026, 11, 26), None, None, "Thanksgiving")
    ]


def test_removing_asks_first_and_then_removes(app, client, sam, post, stored):
    special_hours_id = stored.add(date(2026, 11, 24), reason="Burst pipe")
    assert "Burst pipe" in banner(app.test_client().get("/"))

    confirm = client.get(f"{EXCEPTIONS}/{special_hours_id}/remove")
    assert confirm.status_code == 200
    assert "Remove this closure?" in page_text(confirm)
    assert "Nov 24, 2026 — Closed: Burst pipe" in page_text(confirm)
    assert len(stored.special_hours()) == 1

    response = post(f"{EXCEPTIONS}/{special_hours_id}/remove")

    assert (response.status_code, response.headers["Location"]) == (302, HOURS)
    assert stored.special_hours() == []
    assert "Removed: Nov 24, 2026 — Closed: Burst pipe." in page_text(client.get(HOURS))
    assert banner(app.test_client().get("/")) == "Open now until 9pm"


def test_an_exception_that_does_not_exist_is_not_found(client, sam, post):
    assert client.get(f"{EXCEPTIONS}/999").status_code == 404
    assert post(f"{EXCEPTIONS}/999", GOOD_EXCEPTION).status_code == 404
    assert client.get(f"{EXCEPTIONS}/999/remove").status_code == 404
    assert post(f"{EXCEPTIONS}/999/remove").status_code == 404


def test_past_exceptions_drop_off_the_editor_and_the_public_page(app, client, sam, stored):
    stored.add(date(2026, 11, 20), date(2026, 11, 23), reason="Last week's retreat")
    stored.add(date(2026, 12, 24), reason="Christmas Eve", opens=time(10), closes=time(16))

    editor = page_text(client.get(HOURS))
    public = page_text(app.test_client().get("/hours"))

    for page in (editor, public):
        assert "Last week" not in page
        assert "Dec 24, 2026 — Open 10am – 4pm: Christmas Eve" in words_in(page)


def test_a_long_list_of_exceptions_comes_a_page_at_a_time(client, sam, stored, monkeypatch):
    from firestorm.collective import hours_routes

    monkeypatch.setattr(hours_routes, "SPECIAL_HOURS_PER_PAGE", 2)
    for day in (1, 3, 5):
        stored.add(date(2026, 12, day), reason=f"Day {day}")

    # What the page reads, not the shop's JSON-LD, which lists all coming special hours.
    first, second = (words_in(page_text(client.get(path))) for path in (HOURS, f"{HOURS}?page=2"))

    assert "Day 1" in first and "Day 5" not in first
    assert "Page 1 of 2" in first
    assert "Day 5" in second and "Day 1" not in second


# --- Valid HTML --------------------------------------------------------------------------------


def test_the_hours_editor_pages_are_valid_html(
    tmp_path, app, client, sam, post, stored, nu_html_checker
):
    pages = {"empty": client.get(HOURS)}
    special_hours_id = stored.add(
        date(2026, 12, 24), reason="Christmas Eve", opens=time(10), closes=time(16)
    )
    stored.add(date(2026, 12, 25), date(2026, 12, 26), reason="Christmas")
    pages["with-special_hours"] = client.get(HOURS)
    pages["weekday-open"] = client.get(f"{weekday_path(2)}/edit")
    pages["refused-weekday"] = post(
        weekday_path(2), {"state": "open", "opens": "18:00", "closes": "09:00"}
    )
    pages["refused-special_hours"] = post(EXCEPTIONS, {**GOOD_EXCEPTION, "first_day": "2026-11-01"})
    pages["change"] = client.get(f"{EXCEPTIONS}/{special_hours_id}")
    pages["refused-change"] = post(
        f"{EXCEPTIONS}/{special_hours_id}", {"first_day": "x", "state": "closed"}
    )
    pages["remove"] = client.get(f"{EXCEPTIONS}/{special_hours_id}/remove")
    # What the public then reads: the week with changed hours and a closure, and their list.
    stored.add(date(2026, 11, 24), reason="Short day", opens=time(10), closes=time(16))
    pages["public-hours-with-special_hours"] = app.test_client().get("/hours")
    pages["public-home-on-changed-hours"] = app.test_client().get("/")
    for name, response in pages.items():
        assert response.status_code in (200, 422), name

    errors = check_html(nu_html_checker, save_responses(pages, tmp_path))

    assert not errors, "HTML errors:\n" + describe_html_errors(errors)
