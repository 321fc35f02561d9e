"""What of a shelf-talker's words fits on its card: the lines its title, authors, price and
reviewer take, and the quote cut at a word (with "…") to the lines left, so the card prints
whole. Lines are counted by the characters each holds, counted low: the computer that prints
has its own fonts (Georgia, Times, DejaVu Serif…), and DejaVu, the widest of them, still fits.
"""

import textwrap
from dataclasses import dataclass

from firestorm.reviews.rendering import cut_at_word

POINTS_PER_MM = 72 / 25.4


@dataclass(frozen=True)
class Lines:
    """One kind of line on the card: its height in points, and how many characters it holds
    across the card's text (76 mm)."""

    height: float
    chars: int


# The type of each part as site.css sets it (.talker-title, -authors, -price, -excerpt,
# -reviewer): keep the two in step.
TITLE = Lines(height=13 * 1.2, chars=30)  # 13pt bold
AUTHORS = Lines(height=10 * 1.3, chars=44)  # 10pt italic
PRICE = Lines(height=9 * 1.3, chars=40)  # 9pt sans-serif
QUOTE = Lines(height=10 * 1.35, chars=46)  # 10pt
# The reviewer's name stands in the footer, above the shop's name and the book's address,
# beside the 20 mm QR code (53 mm across): past two lines it makes the footer taller.
REVIEWER = Lines(height=9 * 1.3, chars=24)  # 9pt sans-serif bold
REVIEWER_LINES_BESIDE_CODE = 2
# The text's height: the card's 78 mm less its padding (5 mm at top and bottom), the footer
# (the QR code and 2 mm above it), and the gaps above the authors, the price and the quote
# (0.5, 0.5 and 2.5 mm).
TEXT_HEIGHT = (78 - 2 * 5 - 22 - 0.5 - 0.5 - 2.5) * POINTS_PER_MM
# A title longer than this is cut (the QR code leads to the whole of it); authors past two
# lines are left out, "and others" said.
MOST_TITLE_LINES = 4
MOST_AUTHOR_LINES = 2
AND_OTHERS = "and others"


@dataclass(frozen=True)
class FittedCard:
    title: str
    authors: list[str]
    excerpt: str


def fit_card(
    title: str, authors: list[str], has_price: bool, words: str, reviewer: str, most_chars: int
) -> FittedCard:
    """The card's title, authors and quote (`words`, plain text, at most `most_chars` long) as
    they fit beside the price line (when the book has one) and the reviewer's name."""
    title, title_lines = within_lines(title, TITLE, MOST_TITLE_LINES)
    authors, author_lines = authors_within(authors)
    taken = (
        title_lines * TITLE.height
        + author_lines * AUTHORS.height
        + (PRICE.height if has_price else 0)
        + max(0, lines_of(f"— {reviewer}", REVIEWER) - REVIEWER_LINES_BESIDE_CODE) * REVIEWER.height
    )
    quote_lines = max(1, int((TEXT_HEIGHT - taken) // QUOTE.height))
    # The quote marks around it take two characters of its lines.
    excerpt, _ = within_lines(words, QUOTE, quote_lines, marks=2)
    return FittedCard(title, authors, cut_at_word(excerpt, most_chars))


def lines_of(text: str, kind: Lines) -> int:
    return len(textwrap.wrap(text, kind.chars)) if text else 0


def within_lines(text: str, kind: Lines, most: int, marks: int = 0) -> tuple[str, int]:
    """The text whole if it takes at most `most` lines, else cut at a word to fit them with
    "…"; and the lines it takes."""
    words = " ".join(text.split())
    wrapped = textwrap.wrap("x" * marks + words, kind.chars)
    if len(wrapped) <= most:
        return words, len(wrapped)
    fitting = len(" ".join(wrapped[:most])) - marks
    return cut_at_word(words, fitting), most


def authors_within(authors: list[str]) -> tuple[list[str], int]:
    """As many of the authors as fit on MOST_AUTHOR_LINES lines ("by A, B, and others"; the
    first one always), and the lines they take."""
    kept = len(authors)
    while kept > 1 and _author_lines(_named(authors, kept)) > MOST_AUTHOR_LINES:
        kept -= 1
    shown = _named(authors, kept)
    return shown, _author_lines(shown)


def _named(authors: list[str], kept: int) -> list[str]:
    return authors[:kept] + ([AND_OTHERS] if kept < len(authors) else [])


def _author_lines(authors: list[str]) -> int:
    return lines_of(f"by {', '.join(authors)}", AUTHORS) if authors else 0
