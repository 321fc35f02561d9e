"""Changing the stock in a real browser: +1, −1 and a count redrawn in place on the book's page
and the stock history, what the public then reads, the same through plain forms without
JavaScript, and axe on the pages."""

import re

import pytest
from browser_checks import describe_violations, mark_this_page_load, page_was_not_reloaded
from playwright.sync_api import expect

from firestorm.catalog.models import Book, StockChange
from firestorm.database import db


@pytest.fixture
def book(make_book):
    return make_book("Dispersing Power", authors=["Raúl Zibechi"], stock=2)


@pytest.fixture
def member(make_user):
    return make_user("collective", display_name="Sam")


def stock_of(app, book) -> int:
    with app.app_context():
        return db.session.get(Book, book.id).stock


def reasons_logged(app, book) -> list[str]:
    with app.app_context():
        return list(
            db.session.scalars(
                db.select(StockChange.reason)
                .where(StockChange.book_id == book.id)
                .order_by(StockChange.id)
            )
        )


# --- With JavaScript -------------------------------------------------------------------------


def test_plus_one_changes_the_figure_in_place_and_the_public_then_reads_it(
    page, context, browser, app, book, member, sign_in_browser, axe_violations, base_url
):
    sign_in_browser(context, member)
    page.goto(f"/books/{book.id}")
    mark_this_page_load(page)
    controls = page.locator(f"#stock-{book.id}")
    expect(controls.locator(".stock-now")).to_have_text("2 copies in stock")

    plus_one = controls.get_by_role("button", name=re.compile(r"^\+1"))
    plus_one.click()

    expect(controls.locator(".stock-now")).to_have_text("3 copies in stock")
    expect(page.locator("#flash-messages")).to_have_text(
        "“Dispersing Power”: +1 (Delivery). 3 copies in stock now."
    )
    expect(controls.get_by_role("button", name=re.compile(r"^\+1"))).to_be_focused()
    assert page_was_not_reloaded(page)
    assert stock_of(app, book) == 3
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)

    # Pressed again from the keyboard, where focus was left.
    page.keyboard.press("Enter")
    expect(controls.locator(".stock-now")).to_have_text("4 copies in stock")
    assert reasons_logged(app, book) == ["Delivery", "Delivery"]

    public = browser.new_context(base_url=base_url)
    visitor = public.new_page()
    visitor.goto(f"/books/{book.id}")
    # The line goes on "as of <date>" on paper only.
    expect(visitor.locator(".stock")).to_have_text(re.compile(r"^4 copies in stock\b"))
    expect(visitor.locator(".stock-controls")).to_have_count(0)
    public.close()


def test_a_count_without_a_reason_is_refused_in_place_and_then_set(
    page, context, app, book, member, sign_in_browser, axe_violations
):
    sign_in_browser(context, member)
    page.goto(f"/books/{book.id}")
    mark_this_page_load(page)
    controls = page.locator(f"#stock-{book.id}")

    controls.get_by_text("Set the stock after a count").click()
    controls.get_by_label("Set the stock to").fill("0")
    # Spaces get past the browser's own check for an empty field; the server says why.
    controls.get_by_label("Reason").fill("   ")
    controls.get_by_role("button", name=re.compile("^Set the stock")).click()

    expect(controls.locator(".field-errors")).to_have_text(
        "Say why the stock changes (a delivery, a sale, a count)."
    )
    expect(controls.get_by_label("Reason")).to_be_focused()
    expect(controls.get_by_label("Set the stock to")).to_have_value("0")
    assert stock_of(app, book) == 2
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)

    controls.get_by_label("Reason").fill("Water damage")
    controls.get_by_role("button", name=re.compile("^Set the stock")).click()

    expect(controls.locator(".stock-now")).to_have_text("Out of stock — ask us to order it")
    expect(controls.locator(".field-errors")).to_have_count(0)
    expect(page.locator("#flash-messages")).to_contain_text("−2 (Water damage)")
    assert page_was_not_reloaded(page)
    assert (stock_of(app, book), reasons_logged(app, book)) == (0, ["Water damage"])

    # Nothing left: −1 is refused in place, with why.
    controls.get_by_role("button", name=re.compile(r"^−1")).click()
    expect(controls.get_by_role("alert")).to_have_text(
        "No copies left to take off: the stock is at zero and can't go below."
    )
    assert stock_of(app, book) == 0


def test_the_history_page_gets_each_change_in_place(
    page, context, app, book, member, sign_in_browser, axe_violations
):
    sign_in_browser(context, member)
    page.goto(f"/collective/books/{book.id}/stock")
    mark_this_page_load(page)
    expect(page.get_by_text("No changes to the stock yet.")).to_be_visible()
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)

    page.get_by_role("button", name=re.compile(r"^−1")).click()

    rows = page.locator(".stock-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Sam")
    expect(rows.first).to_contain_text("Sold or given away")
    expect(rows.first.locator(".stock-after")).to_have_text("1")
    expect(page.locator(f"#stock-{book.id} .stock-now")).to_have_text("1 copy in stock")
    assert page_was_not_reloaded(page)
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)


# --- Without JavaScript ----------------------------------------------------------------------


def test_the_same_through_plain_forms_without_javascript(
    new_context, app, book, member, sign_in_browser
):
    context = new_context(java_script_enabled=False)
    sign_in_browser(context, member)
    page = context.new_page()
    page.goto(f"/books/{book.id}")
    controls = page.locator(f"#stock-{book.id}")

    controls.get_by_role("button", name=re.compile(r"^\+1")).click()

    expect(page).to_have_url(re.compile(rf"/books/{book.id}$"))
    expect(
        page.get_by_text("“Dispersing Power”: +1 (Delivery). 3 copies in stock now.")
    ).to_be_visible()
    expect(controls.locator(".stock-now")).to_have_text("3 copies in stock")

    controls.get_by_text("Set the stock after a count").click()
    controls.get_by_label("Set the stock to").fill("5")
    controls.get_by_label("Reason").fill(" ")
    controls.get_by_role("button", name=re.compile("^Set the stock")).click()

    # Refused: the stock history page, with the count kept and why.
    expect(page.get_by_role("heading", level=1)).to_have_text("Stock of “Dispersing Power”")
    expect(page.get_by_label("Set the stock to")).to_have_value("5")
    expect(page.locator(".field-errors")).to_contain_text("Say why the stock changes")

    page.get_by_label("Reason").fill("Counted the shelf")
    page.get_by_role("button", name=re.compile("^Set the stock")).click()

    # Back to the page the controls were first drawn on.
    expect(page).to_have_url(re.compile(rf"/books/{book.id}$"))
    expect(page.locator(f"#stock-{book.id} .stock-now")).to_have_text("5 copies in stock")
    assert reasons_logged(app, book) == ["Delivery", "Counted the shelf"]
