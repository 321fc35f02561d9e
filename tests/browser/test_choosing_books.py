"""Choosing a book in Chromium: from a review's excerpt on the home page or /reviews to the whole
review on the book's page; and what the browser makes of the page's JSON-LD (it parses, the
Content-Security-Policy has nothing to say about it)."""

import re

import pytest
from browser_checks import assert_no_violations
from html_checks import TUESDAY_AFTERNOON
from playwright.sync_api import expect
from shelf_helpers import add_shelves, shelve

LONG_REVIEW = (
    "A book about how neighbourhoods in El Alto organised themselves without waiting for "
    "anyone's permission, told by someone who was there and listened. "
    * 4
    + "The last chapter, on what the state learned from them, is the one to read twice."
)
HOSTILE_TITLE = 'Notes </script><script>document.title="broken"</script> & more'


@pytest.fixture
def shop(app, make_book, make_user, publish_review, clock):
    clock(TUESDAY_AFTERNOON)
    reviewed = make_book("Dispersing Power", authors=["Raúl Zibechi"], stock=2)
    publish_review(reviewed, make_user(display_name="Sam Reviewer"), LONG_REVIEW)
    hostile = make_book(HOSTILE_TITLE, stock=0)
    add_shelves(app, "Anarchism")
    shelve(app, reviewed, "Anarchism")
    return {"reviewed": reviewed, "hostile": hostile}


def csp_reports(page) -> list[str]:
    """The page's Content-Security-Policy violations, as the browser reports them."""
    return page.evaluate("() => window.__violations")


def listen_for_csp_violations(page) -> None:
    page.add_init_script(
        "window.__violations = [];"
        "document.addEventListener('securitypolicyviolation',"
        " e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));"
    )


@pytest.mark.parametrize("start", ["/", "/reviews"])
def test_a_reviews_excerpt_leads_to_the_whole_review(page, axe_violations, shop, start):
    page.goto(start)
    excerpt = page.locator(".review-excerpt", has_text="Dispersing Power")
    expect(excerpt).to_contain_text("Reviewed by Sam Reviewer")
    expect(excerpt).to_contain_text("2 copies in stock")
    expect(excerpt).not_to_contain_text("read twice")
    assert_no_violations(page, axe_violations)

    excerpt.get_by_role("link", name=re.compile("^Read the whole review")).click()

    expect(page).to_have_url(re.compile(rf"/books/{shop['reviewed'].id}#review-\d+$"))
    expect(page.locator(".review-body")).to_contain_text("is the one to read twice")


def test_the_home_page_links_the_shelves(page, shop):
    page.goto("/")

    page.get_by_role("region", name="Browse the shelves").get_by_role(
        "link", name="Anarchism"
    ).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Anarchism")


@pytest.mark.parametrize("which", ["reviewed", "hostile"])
def test_the_json_ld_parses_and_breaks_no_policy(page, shop, which):
    listen_for_csp_violations(page)

    page.goto(f"/books/{shop[which].id}")

    blocks = page.locator('script[type="application/ld+json"]')
    expect(blocks).to_have_count(1)
    graph = page.evaluate(
        "() => JSON.parse(document.querySelector('script[type=\"application/ld+json\"]')"
        ".textContent)['@graph']"
    )
    assert [thing["@type"] for thing in graph] == ["BookStore", "Book"]
    assert graph[1]["name"] == (HOSTILE_TITLE if which == "hostile" else "Dispersing Power")
    # Nothing in the title ran: the page's own title is the book's.
    assert page.title().startswith(graph[1]["name"])
    assert csp_reports(page) == []


def test_the_policy_reports_reach_the_test(page, shop):
    listen_for_csp_violations(page)
    page.goto("/hours")

    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.ran = 1'; document.body.append(s); }"
    )

    assert any(report.startswith("script-src") for report in csp_reports(page))
