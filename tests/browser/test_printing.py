"""Printing, in Chromium: the sheet of shelf-talkers on Letter and on A4 (each card whole on its
page, as pdftotext reads the PDF; every word of cards with long titles, authors and reviews
inside its card, none cut or printed over another, by the words' boxes in the PDF), and a book
page on paper (the shop's name and address, the date of the stock, no banner, no navigation, no
forms)."""

import html
import re
import shutil
import subprocess
from dataclasses import dataclass
from itertools import combinations

import pytest
from html_checks import MONDAY_MORNING, missing_tool
from playwright.sync_api import expect
from public_pages import SITE_URL

SHEET = "/collective/shelf-talkers/sheet"
# Seven cards: a full sheet of six, and one on a second sheet.
TITLES = [
    "Dispersing Power",
    "Emergent Strategy",
    "Pleasure Activism",
    "Mutual Aid",
    "Braiding Sweetgrass",
    "Hope in the Dark",
    "The Dawn of Everything",
]
LONG_REVIEW = (
    "Long ago, a friend lent me this. Long ago, a friend lent me this. "
    "How people organise themselves in the neighbourhoods, without asking anyone for "
    "permission, told by someone who lived there for years. The councils meet, the markets "
    "open, the water gets shared, and nobody is in charge of it all. A patient, generous book."
)
# PDF points: 72 to the inch.
PAPER_POINTS = {"letter": (612, 792), "a4": (595.28, 841.89)}


@pytest.fixture(scope="session")
def pdftotext() -> str:
    found = shutil.which("pdftotext")
    if not found:
        missing_tool("no pdftotext: apt-get install poppler-utils")
    return found


def pdf_pages(path, pdftotext) -> list[str]:
    """The text of each page of the PDF, as pdftotext reads it (pages split at form feeds)."""
    text = subprocess.run(
        [pdftotext, "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [" ".join(page.split()) for page in text.split("\f") if page.strip()]


def page_size(path) -> tuple[float, float]:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    line = next(line for line in info.stdout.splitlines() if line.startswith("Page size:"))
    width, _, height = line.split(":", 1)[1].split()[:3]
    return float(width), float(height)


@pytest.fixture
def seven_reviews(make_book, make_user, publish_review):
    reviewers = [make_user(display_name=f"Reviewer {number}") for number in range(1, 8)]
    return [
        publish_review(make_book(title, authors=["Some Author"]), reviewer, body=LONG_REVIEW)
        for title, reviewer in zip(TITLES, reviewers, strict=True)
    ]


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_the_sheet_prints_six_whole_cards_a_page_on_the_paper_chosen(
    page, context, sign_in_browser, seven_reviews, tmp_path, pdftotext, paper
):
    sign_in_browser(context, role="collective")
    query = "&".join(f"review={review.id}" for review in seven_reviews)
    page.goto(f"{SHEET}?{query}&paper={paper}")
    pdf = tmp_path / "sheet.pdf"

    page.pdf(path=pdf, prefer_css_page_size=True)

    width, height = page_size(pdf)
    assert (width, height) == pytest.approx(PAPER_POINTS[paper], abs=1)
    pages = pdf_pages(pdf, pdftotext)
    assert len(pages) == 2
    for number, title in enumerate(TITLES):
        card_page = pages[number // 6]
        reviewer = f"— Reviewer {number + 1}"
        # The whole card on one page: its title, its reviewer and the shop's name after them.
        assert title in card_page and reviewer in card_page, (title, pages)
        other_page = pages[1 - number // 6]
        assert title not in other_page and reviewer not in other_page
    assert pages[0].count("Firestorm Cafe & Books") == 6
    assert "Shelf-talkers to print" not in " ".join(pages)


# Six cards with long reviews, whose titles take one to four lines (the longest cut) and whose
# authors two, each title's first word its own (it places the card on the PDF's page).
CROWDED_TITLES = [
    "Dispersing Power",
    "Neighbours in Common: A Handbook of Mutual Aid",
    "Everything We Built Together: The Unabridged Handbook of Tenant Unions and Kitchens",
    "Kitchens, Councils and Markets: How the Neighbourhoods of El Alto Organise Themselves "
    "Without Asking Anyone, Told by Someone Who Lived There",
    "Hope in the Dark",
    "Winter Soups",
]
CROWDED_AUTHORS = ["Maria-Josefina Castellanos-Whitfield", "Oluwaseun Abernathy-Okonkwo"]
# Each card as the browser lays it out for print: its words, and its box measured from its
# title's first word (CSS pixels). The card is 86 × 78 mm on paper whatever the window.
CARD_LAYOUT = """() => [...document.querySelectorAll('.talker')].map(card => {
    const title = card.querySelector('.talker-title').firstChild;
    const range = document.createRange();
    range.setStart(title, 0);
    range.setEnd(title, title.data.indexOf(' ') > 0 ? title.data.indexOf(' ') : title.length);
    const word = range.getBoundingClientRect(), box = card.getBoundingClientRect();
    return {firstWord: range.toString(), text: card.innerText,
            left: box.left - word.left, top: box.top - word.top,
            width: box.width, height: box.height};
})"""
POINTS_PER_PIXEL = 72 / 96
# Glyph boxes in the PDF and text boxes in the page differ by a point or so.
SLACK = 2


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    right: float
    bottom: float

    def holds(self, other: "Box") -> bool:
        return (
            self.left - SLACK <= other.left
            and self.top - SLACK <= other.top
            and other.right <= self.right + SLACK
            and other.bottom <= self.bottom + SLACK
        )

    def overlaps(self, other: "Box") -> bool:
        """Overlapping by more than the slack each way (lines next to each other touch)."""
        return (
            min(self.right, other.right) - max(self.left, other.left) > SLACK
            and min(self.bottom, other.bottom) - max(self.top, other.top) > SLACK
        )


def pdf_words(path, pdftotext) -> list[tuple[str, Box]]:
    """The words on the PDF's first page and their boxes (points from the top left), as
    pdftotext reads them."""
    page = subprocess.run(
        [pdftotext, "-bbox", "-f", "1", "-l", "1", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found = re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>',
        page,
    )
    return [(html.unescape(word), Box(*(float(edge) for edge in edges))) for *edges, word in found]


def card_on_paper(card: dict, words: list[tuple[str, Box]]) -> Box:
    """Where the card lies in the PDF: placed by its title's first word, found there."""
    [anchor] = [box for word, box in words if word == card["firstWord"]]
    left = anchor.left + card["left"] * POINTS_PER_PIXEL
    top = anchor.top + card["top"] * POINTS_PER_PIXEL
    return Box(
        left,
        top,
        left + card["width"] * POINTS_PER_PIXEL,
        top + card["height"] * POINTS_PER_PIXEL,
    )


def reading_order(words: list[tuple[str, Box]]) -> str:
    """The words line by line (a line: words whose tops are within a few points), left to
    right, run together: "Castellanos-" and "Whitfield," read as the page's one word."""
    ordered = sorted(words, key=lambda found: (round(found[1].top / 4), found[1].left))
    return "".join(word for word, _ in ordered)


def test_every_printed_card_keeps_all_its_words_inside_it(
    page, context, sign_in_browser, make_book, make_user, publish_review, tmp_path, pdftotext
):
    reviewer = make_user(display_name="Alexandria Montgomery-Featherstonehaugh")
    reviews = [
        publish_review(
            make_book(title, authors=CROWDED_AUTHORS, price="18.00", book_format="paperback"),
            reviewer,
            body=LONG_REVIEW * 2,
        )
        for title in CROWDED_TITLES
    ]
    sign_in_browser(context, role="collective")
    page.goto(f"{SHEET}?" + "&".join(f"review={review.id}" for review in reviews))
    pdf = tmp_path / "sheet.pdf"

    page.pdf(path=pdf, prefer_css_page_size=True)

    page.emulate_media(media="print")
    cards = page.evaluate(CARD_LAYOUT)
    words = pdf_words(pdf, pdftotext)
    boxes = [card_on_paper(card, words) for card in cards]
    assert len(boxes) == len(CROWDED_TITLES)
    for word, box in words:
        assert any(card.holds(box) for card in boxes), f"{word!r} is on no card"
    for card, card_box in zip(cards, boxes, strict=True):
        inside = [(word, box) for word, box in words if card_box.holds(box)]
        # Every word whole: a line cut through its letters loses those under the cut.
        assert reading_order(inside) == "".join(card["text"].split()), (
            f"the card of {card['firstWord']}…: words cut off, or out of it"
        )
        for (word, box), (other, other_box) in combinations(inside, 2):
            assert not box.overlaps(other_box), f"{word!r} is printed over {other!r}"


def test_a_member_chooses_by_searching_and_ticking_without_javascript(
    browser, base_url, sign_in_browser, seven_reviews
):
    context = browser.new_context(base_url=base_url, java_script_enabled=False)
    sign_in_browser(context, role="collective")
    page = context.new_page()
    page.goto(f"/books/{seven_reviews[0].book_id}")
    page.get_by_role("link", name="Print a shelf-talker of Reviewer 1's review").click()
    expect(page.get_by_role("group", name="Chosen (1)")).to_contain_text("Dispersing Power")

    page.get_by_label("Find reviews by the book's title, author or ISBN").fill("mutual")
    page.keyboard.press("Enter")  # searches: the first button of the form
    page.get_by_label("Mutual Aid by Some Author").check()
    page.get_by_role("button", name="Show the sheet to print").click()

    titles = page.locator(".talker-title")
    expect(titles).to_have_text(["Dispersing Power", "Mutual Aid"])
    expect(page.locator("main")).to_contain_text("2 cards on 1 sheet of Letter paper")
    context.close()


# --- A book page on paper ----------------------------------------------------------------------


def test_a_printed_book_page_names_the_shop_dates_the_stock_and_leaves_out_the_banner(
    page, clock, bookshop
):
    clock(MONDAY_MORNING)  # the loud "Closed today" banner is on the screen
    page.goto(f"/books/{bookshop['reviewed'].id}")
    expect(page.locator(".status-banner")).to_be_visible()
    expect(page.locator(".book-print-shop")).to_be_hidden()

    page.emulate_media(media="print")

    shop = page.locator(".book-print-shop")
    expect(shop).to_be_visible()
    expect(shop).to_contain_text("Firestorm Cafe & Books")
    expect(shop).to_contain_text("610 Haywood Rd, Asheville NC")
    # The shop's own address (SITE_URL), whatever address the browser reached it at.
    expect(shop).to_contain_text(f"{SITE_URL}/")
    expect(page.locator(".stock")).to_have_text("2 copies in stock as of Nov 23, 2026")
    for left_out in (".status-banner", ".store-header", "nav", ".site-footer", ".button"):
        assert page.locator(left_out).count() > 0, f"{left_out} is not on the page at all"
        for element in page.locator(left_out).all():
            expect(element).to_be_hidden()
    expect(page.get_by_role("heading", name="Dispersing Power")).to_be_visible()


def test_a_members_printout_leaves_out_the_forms_and_tools(
    page, context, sign_in_browser, bookshop
):
    sign_in_browser(context, role="collective")
    page.goto(f"/books/{bookshop['reviewed'].id}")
    assert page.locator("form").count() >= 2  # the stock buttons, signing out

    page.emulate_media(media="print")

    for element in page.locator("form, button, .collective-tools").all():
        expect(element).to_be_hidden()
    expect(page.locator(".book-print-shop")).to_contain_text("Firestorm Cafe & Books")
    expect(page.locator(".stock-now")).to_have_text("2 copies in stock")


def test_a_generated_cover_keeps_its_colour_on_paper(page, bookshop):
    page.goto(f"/books/{bookshop['reviewed'].id}")
    page.emulate_media(media="print")

    cover = page.locator(".book-cover .cover")

    expect(cover).to_be_visible()
    assert cover.evaluate("element => getComputedStyle(element).printColorAdjust") == "exact"
