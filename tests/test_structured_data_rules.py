"""The public pages' JSON-LD passes the search engines' own rules: Google's rich-result rules as
Adobe's structured data validator applies them (npm @adobe/structured-data-validator, run by
tests/structured_data_check.mjs). tests/test_structured_data.py checks what the data says."""

import json
import re
import shutil
import subprocess
from datetime import date, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from html_checks import PROJECT_ROOT, TUESDAY_AFTERNOON, missing_tool
from shelf_helpers import add_shelves, shelve

from firestorm.database import db
from firestorm.events import planning, series
from firestorm.shop.models import SpecialHoursEntry
from firestorm.shop.schedule import load_schedule

CHECK_SCRIPT = PROJECT_ROOT / "tests" / "structured_data_check.mjs"
VALIDATOR = PROJECT_ROOT / "node_modules" / "@adobe" / "structured-data-validator"

pytestmark = pytest.mark.node

# A page with what the rules refuse: a review with no rating (what our reviewed books sent
# before), and microdata the check does not read. If the validator ran, both come back.
CONTROL_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Control</title>
<script type="application/ld+json">{"@context": "https://schema.org", "@graph": [
  {"@type": "Book", "name": "A Book", "review": [
    {"@type": "Review", "author": {"@type": "Person", "name": "Sam"}, "reviewBody": "Good."}]}]}
</script></head>
<body><p itemscope itemtype="https://schema.org/Thing">Thing</p></body></html>
"""


@pytest.fixture
def structured_data_rules() -> list[str]:
    """The command that checks pages against the rules (node and the npm validator)."""
    node = shutil.which("node")
    if node is None:
        missing_tool("no node on PATH: the structured data rules need Node.js 18 or later")
    if not VALIDATOR.is_dir():
        missing_tool(f"no {VALIDATOR}: run npm ci in {PROJECT_ROOT}")
    return [node, str(CHECK_SCRIPT)]


def rule_issues(command: list[str], pages: dict[str, str]) -> dict[str, list[dict]]:
    """{page name: [{severity, message, where}]}, one node run for all the pages."""
    result = subprocess.run(
        command,
        input=json.dumps(pages),
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=120,
    )
    assert result.returncode == 0, f"the check failed:\n{result.stderr}"
    return json.loads(result.stdout)


def errors_in(issues: dict[str, list[dict]]) -> list[str]:
    return [
        f"{name}: {issue['message']}" + (f" at {issue['where']}" if issue["where"] else "")
        for name, found in issues.items()
        for issue in found
        if issue["severity"] == "ERROR"
    ]


@pytest.fixture
def realistic_shop(app, clock, make_book, make_user, publish_review, monkeypatch):
    """Books with and without reviews on a shelf, priced (one free), the shop's contact details
    and a closure coming, on a Tuesday afternoon: every kind of node the pages write."""
    clock(TUESDAY_AFTERNOON)
    monkeypatch.setitem(app.config, "STORE_PHONE", "(828) 555-0142")
    monkeypatch.setitem(app.config, "STORE_EMAIL", "books@example.org")
    monkeypatch.setitem(app.config, "STORE_GEO", [35.5788, -82.5853])
    reviewed = make_book(
        "Dispersing Power",
        subtitle="Social Movements as Anti-State Forces",
        authors=["Raúl Zibechi"],
        publisher="AK Press",
        isbn13="9781849350112",
        release_date=date(2010, 6, 1),
        description="How the Aymara of El Alto organise *without* a state.",
        stock=2,
        page_count=160,
        price=Decimal("18.00"),
        book_format="paperback",
    )
    for name in ("Sam Reviewer", "Robin"):
        publish_review(reviewed, make_user(display_name=name), body="How people *organise*.")
    # Out of stock (the Offer's BackOrder), and free: an Offer priced "0".
    unreviewed = make_book(
        "Emergent Strategy", authors=["adrienne maree brown"], stock=0, price=Decimal("0")
    )
    add_shelves(app, "Social Movements")
    shelve(app, reviewed, "Social Movements")
    shelve(app, unreviewed, "Social Movements")
    with app.app_context():
        db.session.add_all(
            [
                SpecialHoursEntry(
                    first_day=date(2026, 11, 26), last_day=date(2026, 11, 26), reason="Thanksgiving"
                ),
                SpecialHoursEntry(
                    first_day=date(2026, 12, 24),
                    last_day=date(2026, 12, 24),
                    reason="Christmas Eve",
                    opens=time(10),
                    closes=time(16),
                ),
            ]
        )
        db.session.commit()
        schedule = load_schedule(TUESDAY_AFTERNOON.date(), ZoneInfo(app.config["STORE_TIMEZONE"]))
        reading = planning.add_event(
            planning.TypedEvent(
                "Reading with Raúl Zibechi",
                date(2026, 12, 3),
                time(19),
                time(21),
                "Bring *questions*.",
                price=Decimal("5"),
            ),
            schedule,
            TUESDAY_AFTERNOON,
        )
        book_club = planning.add_event(
            planning.TypedEvent(
                "Book club",
                date(2026, 12, 8),
                time(19),
                time(21),
                repeat="monthly",
                repeat_until=date(2027, 6, 30),
            ),
            schedule,
            TUESDAY_AFTERNOON,
        )
        planning.cancel_date(
            series.date_on(book_club, date(2027, 1, 12), schedule.timezone), TUESDAY_AFTERNOON
        )
        db.session.commit()
        events = {"reading": reading.id, "book_club": book_club.id}
    return {"reviewed": reviewed, "unreviewed": unreviewed, **events}


def test_the_check_finds_what_the_rules_refuse(structured_data_rules):
    issues = rule_issues(structured_data_rules, {"control": CONTROL_PAGE})

    errors = errors_in(issues)

    assert any('"reviewRating" is missing' in error for error in errors), errors
    assert any("microdata or RDFa (itemscope)" in error for error in errors), errors


def test_the_public_pages_break_none_of_the_rules(client, realistic_shop, structured_data_rules):
    paths = {
        "home": "/",
        "book-with-reviews": f"/books/{realistic_shop['reviewed'].id}",
        "book-without-reviews": f"/books/{realistic_shop['unreviewed'].id}",
        "shelf": "/shelves/social-movements",
        "catalog": "/books",
        "hours": "/hours",
        "about": "/about",
        "event": f"/events/{realistic_shop['reading']}",
        "series": f"/events/{realistic_shop['book_club']}",
    }
    pages = {}
    for name, path in paths.items():
        response = client.get(path)
        assert response.status_code == 200, f"{path} answered {response.status_code}"
        pages[name] = response.get_data(as_text=True)
    # The reviews stay on the page, where people read them.
    assert "Sam Reviewer" in pages["book-with-reviews"]
    # The Offers carry their prices: the rules check that path too.
    assert re.search(r'"price": ?"18.00"', pages["book-with-reviews"])
    assert re.search(r'"price": ?"0.00"', pages["book-without-reviews"])

    issues = rule_issues(structured_data_rules, pages)

    assert set(issues) == set(paths)
    assert errors_in(issues) == []
