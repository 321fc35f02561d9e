"""/about: the collective and the cafe, contact details from the settings (each left out when
empty), the week's hours; and the footer's "Contact" link to it on every page."""

import pytest
from html_checks import TUESDAY_AFTERNOON
from review_helpers import page_text


def main_of(response) -> str:
    """The page's own content, without the header and footer every page shares."""
    page = page_text(response)
    return page[page.index("<main") : page.index("</main>")]


def footer_of(response, status: int | None = None) -> str:
    page = page_text(response, status)
    return page[page.index("<footer") : page.index("</footer>")]


@pytest.fixture
def settings(app, monkeypatch):
    """settings(NAME=value, …): the shop's settings for this test."""

    def settings(**values):
        for name, value in values.items():
            monkeypatch.setitem(app.config, name, value)

    return settings


def test_the_about_page_tells_who_we_are_and_when_we_are_open(client, clock):
    clock(TUESDAY_AFTERNOON)

    response = client.get("/about")

    assert response.status_code == 200
    main = main_of(response)
    assert "<h1>About Firestorm Cafe &amp; Books</h1>" in main
    assert "run by a collective" in main and "no bosses" in main
    assert "The next seven days" in main
    assert "Tuesday (today)" in main
    assert 'href="/hours"' in main


def test_contact_details_come_from_the_settings(client, settings):
    settings(
        STORE_ADDRESS="610 Haywood Rd, Asheville NC",
        STORE_MAP_URL="https://www.openstreetmap.org/search?query=610%20Haywood%20Rd",
        STORE_PHONE="(828) 555-0142",
        STORE_EMAIL="books@firestorm.example",
    )

    main = main_of(client.get("/about"))

    assert "610 Haywood Rd, Asheville NC" in main
    assert (
        'href="https://www.openstreetmap.org/search?query=610%20Haywood%20Rd">view map</a>' in main
    )
    assert '<a href="tel:8285550142">(828) 555-0142</a>' in main
    # The address may wrap after its @ and before its dots (<wbr>), never inside a word.
    assert '<a href="mailto:books@firestorm.example">books@<wbr>firestorm<wbr>.example</a>' in main


def test_an_empty_setting_is_left_out(client, settings):
    settings(STORE_PHONE="", STORE_EMAIL="  ", STORE_MAP_URL="")

    main = main_of(client.get("/about"))

    assert "610 Haywood Rd" in main
    for left_out in ("Phone", "tel:", "Email", "mailto:", "view map"):
        assert left_out not in main, left_out


def test_with_no_contact_settings_at_all_the_page_says_to_come_by(client, settings):
    settings(STORE_ADDRESS="", STORE_MAP_URL="", STORE_PHONE="", STORE_EMAIL="")

    main = main_of(client.get("/about"))

    assert "<address" not in main
    assert "ask us at the counter" in main


def test_the_navigation_marks_the_about_page(client):
    page = page_text(client.get("/about"))

    assert '<a href="/about" aria-current="page">About</a>' in page


def test_the_about_page_sets_no_cookie_for_visitors(client):
    response = client.get("/about")

    assert response.headers.getlist("Set-Cookie") == []


@pytest.mark.parametrize("role", [None, "volunteer", "collective"])
def test_every_page_has_a_contact_link_in_its_footer(client, login_as, bookshop, role):
    if role:
        login_as(role)
    paths = ["/", "/books", f"/books/{bookshop['reviewed'].id}", "/hours", "/about", "/reviews"]
    paths += ["/login" if role is None else "/my/"]
    if role == "collective":
        paths.append("/collective/queue")
    statuses = {path: 200 for path in paths} | {"/no-such-page": 404}

    for path, status in statuses.items():
        assert '<a href="/about">Contact</a>' in footer_of(client.get(path), status), path
