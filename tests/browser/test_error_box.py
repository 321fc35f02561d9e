"""When an htmx request fails, the message appears in the page's message box, and nothing the
person typed is lost; while the database is away, in the 503 page's own words."""

import re

import psycopg
from playwright.sync_api import expect
from sqlalchemy.exc import OperationalError

from firestorm.web import last_change

TEXT = "Reading *Kindred* again, slowly, with the reading group on Thursday evenings."


def test_a_session_ending_while_writing_keeps_the_text_and_says_what_to_do(
    page, context, sign_in_browser, make_book, review_of
):
    volunteer = sign_in_browser(context)
    review_id = review_of(volunteer, body="", book=make_book("Kindred"))
    page.goto(f"/my/reviews/{review_id}/edit")

    context.clear_cookies()  # the session ends, as on a shared computer
    editor = page.locator("#review-body")
    editor.fill(TEXT)

    message = page.locator("#request-error")
    expect(message).to_contain_text("This form has expired")
    expect(message).to_contain_text("Copy anything you typed")
    expect(editor).to_have_value(TEXT)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kindred")


def test_a_database_outage_is_said_in_the_message_box_and_the_page_stays(
    page, context, sign_in_browser, make_user, make_book, monkeypatch
):
    book = make_book("Dispersing Power", authors=["Raúl Zibechi"], stock=2)
    sign_in_browser(context, make_user("collective"))
    page.goto(f"/books/{book.id}")
    controls = page.locator(f"#stock-{book.id}")

    # PostgreSQL stops: the next request's first read finds nobody there (web/errors.py).
    def server_away():
        refused = psycopg.OperationalError("connection failed: Connection refused")
        raise OperationalError("SELECT last_change.token", {}, refused)

    monkeypatch.setattr(last_change, "token", server_away)
    controls.get_by_role("button", name=re.compile(r"^\+1")).click()

    message = page.locator("#request-error")
    expect(message).to_contain_text("The catalog is taking a short break")
    expect(message).to_contain_text("Please try again in a minute.")
    expect(controls.locator(".stock-now")).to_have_text("2 copies in stock")
