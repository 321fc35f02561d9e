"""axe-core finds no accessibility violations on the public pages, as a browser draws them."""

from decimal import Decimal

import pytest
from browser_checks import describe_violations
from html_checks import MONDAY_MORNING, TUESDAY_AFTERNOON
from shelf_helpers import add_shelves, shelve


@pytest.fixture
def bookshop(bookshop, app, make_book):
    """The shared shop (a reviewed book in stock, a sold-out one), and one nobody reviewed yet,
    with a price; two shelves, the reviewed book on one of them."""
    # With a price and a format, as every list shows them ("$16.95, paperback").
    make_book(
        title="Pleasure Activism",
        authors=["adrienne maree brown"],
        stock=1,
        price=Decimal("16.95"),
        book_format="paperback",
    )
    add_shelves(app, "Anarchism", "Staff picks")
    shelve(app, bookshop["reviewed"], "Anarchism")
    return bookshop


def test_axe_finds_the_problems_of_a_bad_page(page, axe_violations):
    page.set_content('<html><body><img src="cover.png"><input type="text"></body></html>')

    found = {violation["id"] for violation in axe_violations(page)}

    assert {"image-alt", "label", "html-has-lang"} <= found


def test_axe_runs_on_our_pages_despite_the_content_security_policy(page, axe_violations, clock):
    clock(TUESDAY_AFTERNOON)
    page.goto("/hours")
    page.evaluate("() => document.querySelector('main').append(document.createElement('img'))")

    found = {violation["id"] for violation in axe_violations(page)}

    assert "image-alt" in found


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/books",
        "/books?q=no+book+has+this+title",
        "/books/{reviewed_book_id}",
        "/books/{reviewed_book_id}/hold",
        "/order?title=no+book+has+this+title",
        "/hours",
        "/about",
        "/reviews",
        "/shelves",
        "/shelves/anarchism",
        "/shelves/staff-picks",
        "/books?shelf=anarchism",
        "/no-such-page",
    ],
    ids=[
        "home",
        "catalog",
        "catalog-no-results",
        "book-with-review",
        "hold-form",
        "order-form",
        "hours",
        "about",
        "reviews",
        "shelves",
        "shelf",
        "empty-shelf",
        "catalog-on-a-shelf",
        "not-found",
    ],
)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_public_page_has_no_accessibility_violations(
    page, axe_violations, clock, bookshop, path, scheme
):
    clock(TUESDAY_AFTERNOON)
    page.emulate_media(color_scheme=scheme)

    page.goto(path.format(reviewed_book_id=bookshop["reviewed"].id))

    violations = axe_violations(page)
    assert not violations, describe_violations(violations)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_home_page_on_a_closed_day_has_no_accessibility_violations(
    page, axe_violations, clock, bookshop, scheme
):
    clock(MONDAY_MORNING)
    page.emulate_media(color_scheme=scheme)
    page.goto("/")

    violations = axe_violations(page)
    assert not violations, describe_violations(violations)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_reviewers_page_has_no_accessibility_violations(
    page, axe_violations, clock, bookshop, scheme
):
    clock(TUESDAY_AFTERNOON)
    page.emulate_media(color_scheme=scheme)
    page.goto(f"/books/{bookshop['reviewed'].id}")

    page.get_by_role("link", name="Sam Reviewer").first.click()

    assert page.url.split("/")[-2] == "reviewers"
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)
