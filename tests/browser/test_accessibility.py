"""axe-core finds no accessibility violations on the public pages, as a browser draws them."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

STORE_TIME = ZoneInfo("America/New_York")
# An ordinary open afternoon, and a Monday, when the "Closed today" banner shows instead.
TUESDAY_AFTERNOON = datetime(2026, 11, 24, 15, 0, tzinfo=STORE_TIME)
MONDAY_MORNING = datetime(2026, 11, 23, 10, 0, tzinfo=STORE_TIME)


def describe(violations: list[dict]) -> str:
    """axe's findings as lines a person can act on: rule, impact, what to do, and where."""
    lines = [f"{len(violations)} accessibility violation(s):"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']}"
            f" <{violation['helpUrl']}>"
        )
        for node in violation["nodes"]:
            lines.append(f"    at {' '.join(node['target'])}: {node['html'][:160]}")
    return "\n".join(lines)


@pytest.fixture
def bookshop(make_book, make_user, publish_review):
    """A small shop: a reviewed book in stock, a sold-out one, and one nobody reviewed yet."""
    reviewed = make_book(
        title="Dispersing Power",
        subtitle="Social Movements as Anti-State Forces",
        authors=["Raúl Zibechi"],
        publisher="AK Press",
        isbn13="9781849350112",
        description="How the Aymara of El Alto organise without a state.",
        stock=2,
    )
    make_book(title="Emergent Strategy", authors=["adrienne maree brown"], stock=0)
    make_book(title="Pleasure Activism", authors=["adrienne maree brown"], stock=1)
    reviewer = make_user(display_name="Sam Reviewer")
    publish_review(
        reviewed,
        reviewer,
        body="How people *organise themselves*.\n\nRead it with [a friend](https://example.org).",
    )
    return {"reviewed": reviewed}


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
        "/hours",
        "/no-such-page",
    ],
    ids=["home", "catalog", "catalog-no-results", "book-with-review", "hours", "not-found"],
)
def test_public_page_has_no_accessibility_violations(page, axe_violations, clock, bookshop, path):
    clock(TUESDAY_AFTERNOON)

    page.goto(path.format(reviewed_book_id=bookshop["reviewed"].id))

    violations = axe_violations(page)
    assert not violations, describe(violations)


def test_home_page_on_a_closed_day_has_no_accessibility_violations(
    page, axe_violations, clock, bookshop
):
    clock(MONDAY_MORNING)
    page.goto("/")

    violations = axe_violations(page)
    assert not violations, describe(violations)
