"""Finding a hold at the desk, /collective/holds?q=… (firestorm/holds/finding.py through
firestorm/collective/hold_routes.py): by reference (any case, spaces and hyphens or not), part
of the customer's name (any case, any accents), email (any case) or phone (its digits), in every
state unless one is chosen; pages that keep the search; an empty result said in words; purged
holds found by reference only; odd input; and who may search at all. Its plans:
test_hold_search_plans.py."""

import re
from datetime import timedelta

import pytest
from hold_helpers import hold_taken_to, place_hold
from html_checks import check_html, describe_html_errors, save_responses
from review_helpers import NOW, page_text

from firestorm.database import db
from firestorm.holds import special_orders
from firestorm.holds.models import HoldState
from firestorm.holds.placing import HoldRequest
from firestorm.holds.purge import purge

DESK = "/collective/holds"


@pytest.fixture
def book(make_book):
    return make_book("Dispersing Power", authors=["Raúl Zibechi"], stock=20)


@pytest.fixture
def sam(client, login_as, clock):
    clock(NOW)
    return login_as("collective", display_name="Sam")


@pytest.fixture
def holds(app, book, make_user):
    """Three customers' holds: José's new, Ann's collected, Li's cancelled (by Mara)."""
    mara = make_user("collective", display_name="Mara")
    earlier = NOW - timedelta(days=3)
    return {
        "jose": place_hold(
            app,
            book,
            earlier,
            name="José Ñúñez",
            email="Jose.N@Example.org",
            phone="(828) 555 0143",
        ),
        "ann": hold_taken_to(
            app,
            book,
            HoldState.COLLECTED,
            mara,
            earlier + timedelta(hours=3),
            name="Ann Smithson",
            email="ann@example.org",
            phone="+1 415 555 0100",
        ),
        "li": hold_taken_to(
            app,
            book,
            HoldState.CANCELLED,
            mara,
            earlier + timedelta(hours=6),
            name="Li Wei",
            email="li@example.org",
            phone="",
        ),
    }


def references_on(response) -> list[str]:
    """The references of the holds listed, in their order."""
    return re.findall(r'class="hold-reference">([^<]+)</a>', response.get_data(as_text=True))


def search(client, text: str, **args):
    return client.get(DESK, query_string={"q": text, **args})


# --- Who may search -------------------------------------------------------------------------


def test_only_collective_members_may_search(client, login_as, holds, clock):
    assert search(client, "Ann").headers["Location"].startswith("/login")
    login_as("volunteer")
    assert search(client, "Ann").status_code == 403


# --- Each field -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "who"),
    [
        ("REF", "jose"),
        ("ref-lower", "jose"),
        ("ref-spaced", "jose"),
        ("ref-hyphened", "jose"),
        ("josé", "jose"),
        ("JOSE NUNEZ", "jose"),
        ("ñúñ", "jose"),
        ("jose.n@example.ORG", "jose"),
        ("828-555-0143", "jose"),
        ("8285550143", "jose"),
        ("smith", "ann"),
        ("+1 (415) 555-0100", "ann"),
        ("LI@EXAMPLE.ORG", "li"),
    ],
)
def test_a_hold_is_found_by_each_thing_a_customer_gives(client, holds, typed, who, sam):
    reference = holds[who].reference
    spelled = {
        "REF": reference,
        "ref-lower": reference.lower(),
        "ref-spaced": f" {reference[:3]} {reference[3:]} ",
        "ref-hyphened": f"{reference[:3]}-{reference[3:]}",
    }.get(typed, typed)

    response = search(client, spelled)

    assert response.status_code == 200
    assert references_on(response) == [reference]
    assert "1 hold matches" in page_text(response)


def test_a_special_order_is_found_like_a_hold(app, client, holds, sam):
    customer = HoldRequest("order", "Kim Lê", "", "+44 20 7946 0958", 1, "")
    asked = special_orders.SpecialOrderRequest("The Dispossessed", "", "", "", customer)
    with app.app_context():
        order = special_orders.place_special_order(asked, "a-key-for-the-order", NOW, "s")
        reference = order.hold.reference
        db.session.commit()

    assert references_on(search(client, "kim le")) == [reference]
    assert references_on(search(client, "442079460958")) == [reference]


def test_a_search_looks_in_every_state_newest_first_unless_one_is_chosen(client, holds, sam):
    every = search(client, "example.org")  # no email is "example.org": it is part of no name
    assert references_on(every) == []

    by_name = search(client, "N")  # in José Ñúñez and Ann Smithson, not in Li Wei
    chosen = search(client, "N", state="collected")

    assert references_on(by_name) == [holds[k].reference for k in ("ann", "jose")]
    assert "2 holds match “N”, newest first." in page_text(by_name)
    assert references_on(chosen) == [holds["ann"].reference]
    assert "1 hold matches “N” in “Collected”" in page_text(chosen)
    assert '<option value="collected" selected>Collected</option>' in chosen.get_data(as_text=True)


def test_part_of_a_phone_number_or_a_partial_email_finds_nothing(client, holds, sam):
    assert references_on(search(client, "0143")) == []
    assert references_on(search(client, "jose.n@")) == []


def test_no_match_is_said_in_words_with_the_search_kept_in_the_box(client, holds, sam):
    response = search(client, "Nobody Here")

    page = page_text(response)
    assert response.status_code == 200
    assert "No hold matches “Nobody Here”." in page
    assert 'value="Nobody Here"' in response.get_data(as_text=True)


def test_no_match_in_a_state_offers_every_state(client, holds, sam):
    response = search(client, "Ann", state="new")

    assert "No hold matches “Ann” in “New”." in page_text(response)
    assert 'href="/collective/holds?q=Ann"' in response.get_data(as_text=True)


def test_the_pages_of_results_keep_the_search_and_the_state(
    app, client, book, sam, holds, monkeypatch
):
    monkeypatch.setitem(app.config, "HOLDS_PER_PAGE", 2)
    for hour in range(3):
        place_hold(app, book, NOW - timedelta(hours=hour + 1), name=f"Robin Number {hour}")
    first = search(client, "robin", state="open")
    second = search(client, "robin", state="open", page=2)

    assert len(references_on(first)) == 2 and len(references_on(second)) == 1
    assert "3 holds match “robin” in “Open”" in page_text(first)
    assert 'href="/collective/holds?q=robin&amp;state=open&amp;page=2"' in first.get_data(
        as_text=True
    )
    # A step taken on a found hold without JavaScript comes back to the same search.
    assert 'name="next" value="/collective/holds?q=robin&amp;state=open&amp;page=2"' in (
        second.get_data(as_text=True)
    )


def test_purged_holds_are_found_by_reference_only(app, client, holds, sam):
    with app.app_context():
        purge(NOW + timedelta(days=365), 7, 30)
        db.session.commit()
    ann = holds["ann"].reference

    assert references_on(search(client, ann.lower())) == [ann]
    for detail in ("Ann", "ann@example.org", "+1 415 555 0100"):
        assert references_on(search(client, detail)) == [], detail
    # José's hold is open: never erased, still found by name.
    assert references_on(search(client, "jose")) == [holds["jose"].reference]


def test_the_lists_by_state_are_as_before_without_a_search(client, holds, sam):
    response = client.get(DESK)

    assert references_on(response) == [holds["jose"].reference]
    assert "1 hold, oldest first." in page_text(response)


def test_a_step_on_a_found_hold_comes_back_to_the_search(app, client, holds, sam, post):
    jose = holds["jose"]
    here = f"{DESK}?q=jose"

    response = post(f"{DESK}/{jose.id}/ready", {"next": here})

    assert response.status_code == 302
    assert response.headers["Location"] == here
    page = page_text(client.get(here))
    assert f"Hold {jose.reference} is ready for pickup." in page
    assert "1 hold matches “jose”" in page


def test_the_search_makes_the_same_queries_for_one_hold_found_or_many(
    app, client, book, holds, sam, count_queries
):
    with count_queries() as one:
        search(client, "jose")
    for hour in range(4):
        place_hold(app, book, NOW - timedelta(hours=hour + 1), name=f"José Other {'abcd'[hour]}")
    with count_queries() as many:
        found = search(client, "jose")

    assert len(references_on(found)) == 5
    assert len(many) == len(one)


# --- Odd input ------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["%", "_", "\\", "'; DROP TABLE holds; --", "-", "@", "()"])
def test_odd_input_finds_nothing_and_breaks_nothing(client, holds, typed, sam):
    response = search(client, typed)

    assert response.status_code == 200
    assert references_on(response) == []


@pytest.mark.parametrize("typed", ["\x00\x01", "   ", "\t\n"])
def test_a_search_of_nothing_but_blanks_is_no_search(client, holds, typed, sam):
    response = search(client, typed)

    assert references_on(response) == [holds["jose"].reference]
    assert "1 hold, oldest first." in page_text(response)


def test_control_characters_are_spaces_and_an_overlong_search_is_cut(app, client, holds, sam):
    tabbed = search(client, "Ann\x00\tSmith")
    overlong = search(client, "Ann " + "x" * 5_000)

    assert references_on(tabbed) == [holds["ann"].reference]
    assert overlong.status_code == 200 and references_on(overlong) == []
    limit = app.config["SEARCH_MAX_LENGTH"]
    assert f'value="Ann {"x" * (limit - 4)}"' in overlong.get_data(as_text=True)


def test_an_unknown_state_beside_a_search_is_refused_in_words(client, holds, sam):
    response = search(client, "Ann", state="lost")

    assert response.status_code == 400
    assert "There is no such list of holds" in page_text(response)


def test_the_search_pages_are_valid_html(tmp_path, client, holds, sam, nu_html_checker):
    pages = {
        "found": search(client, holds["jose"].reference),
        "found-in-a-state": search(client, "N", state="collected"),
        "none": search(client, "Nobody Here", state="new"),
        "unknown-state": search(client, "Ann", state="lost"),
    }
    assert {name: response.status_code for name, response in pages.items()} == {
        **dict.fromkeys(pages, 200),
        "unknown-state": 400,
    }

    errors = check_html(nu_html_checker, save_responses(pages, tmp_path))

    assert not errors, "HTML errors:\n" + describe_html_errors(errors)
