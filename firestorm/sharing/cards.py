"""Share cards: the picture a social site shows beside a shared link to a book without a cover,
or to the shop. 1200 × 630 pixels (the size Open Graph and X's large cards ask for), the title
and authors (or the shop's name) set in the site's colours, as a PNG. Drawn with Pillow, once:
stored where the covers are (COVER_STORAGE, catalog/cover_storage.py), which every worker of
every server reads. No Flask."""

import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, PngImagePlugin
from sqlalchemy import select

from firestorm.catalog import books
from firestorm.catalog.cover_storage import CoverStorage
from firestorm.catalog.models import Book
from firestorm.database import db

SIZE = WIDTH, HEIGHT = 1200, 630
CONTENT_TYPE = "image/png"
# Shipped with the code, so every machine draws the same card: Pillow's own default font has
# no accented letters ("Raúl" came out with a box). DejaVu is free to redistribute
# (fonts/DejaVu-LICENSE.txt); it covers Latin, Greek and Cyrillic, not Chinese or Arabic.
FONT_FILE = Path(__file__).parent / "fonts" / "DejaVuSerif-Bold.ttf"
# The typographic covers' backgrounds (static/css/site.css, .cover-tone-0 to 5; a book's is
# its id modulo 6), so a book's card has its cover's colour; the shop's card has the accent.
TONES = ("#7c2d12", "#1e3a5f", "#2f4f2f", "#4a2c4f", "#3d3a36", "#6b4c12")
ACCENT = "#9c2a12"
PAPER = (251, 248, 243)
# Part of every card's address: change it whenever the drawing below changes, or browsers and
# social sites go on showing the old card (they keep each address for a year).
DRAWING = "1"
# A card is stored under its owner's name (STORED_NAME: a book's id, or the shop), with its
# digest written inside it (a PNG text chunk under DIGEST_KEY). A stored card whose digest is
# not the card's (its book's title or authors changed, or the drawing) is drawn again and
# replaces it, so each book has one card stored at most; the desk deletes it with the book.
# The name is no cover's (covers.FILE_NAME): /covers/ never serves it.
STORED_NAME = "share-{owner}.png"
SHOP = "shop"
DIGEST_KEY = "firestorm-card"

MARGIN = 80
TEXT_WIDTH = WIDTH - 2 * MARGIN
# The title is set in the largest of these sizes that fits whole in three lines.
HEADING_SIZES = (80, 68, 58, 50, 44)
HEADING_LINES = 3
BYLINE_SIZE = 38
BYLINE_LINES = 2
FOOTER_SIZE = 28
LINE_SPACING = 1.22
ELLIPSIS = "…"


@dataclass(frozen=True)
class Card:
    """What a card shows. Its digest names it in its address."""

    heading: str
    byline: str
    footer: str
    background: str

    @property
    def digest(self) -> str:
        """16 hex digits of a hash of everything drawn: another title, other authors, another
        shop name or drawing make another address."""
        drawn = "\n".join((DRAWING, self.heading, self.byline, self.footer, self.background))
        return hashlib.sha256(drawn.encode()).hexdigest()[:16]


def book_card(title: str, authors: Sequence[str], book_id: int, store_name: str) -> Card:
    return Card(title, ", ".join(authors), store_name, TONES[book_id % len(TONES)])


def store_card(store_name: str, store_address: str) -> Card:
    return Card(store_name, "A collective-run cafe and bookstore", store_address, ACCENT)


def book_to_share(book_id: int) -> Book | None:
    """The book with its authors, if the public sees it (a hidden book has no card)."""
    statement = select(Book).where(Book.id == book_id, Book.hidden.is_(False))
    return db.session.scalar(books.with_authors(statement))


# --- Storing ---------------------------------------------------------------------------------


def stored_name(book_id: int | None) -> str:
    """The name a book's card (the shop's, for None) is stored under."""
    return STORED_NAME.format(owner=SHOP if book_id is None else book_id)


def stored_png(card: Card, storage: CoverStorage, name: str) -> bytes | None:
    """The card stored under the name, if it is this card; None if it must be drawn."""
    png = storage.read(name)
    if png is None:
        return None
    try:
        with Image.open(io.BytesIO(png), formats=["PNG"]) as image:
            digest = image.info.get(DIGEST_KEY)
    except OSError:  # damaged: drawn again
        return None
    return png if digest == card.digest else None


def store_png(storage: CoverStorage, name: str, png: bytes) -> None:
    """Store a card just drawn in place of the one stored under the name (an older card of
    the same book), if any. Raises CoverNotStored."""
    storage.delete([name])
    storage.write(name, png, CONTENT_TYPE)


# --- Drawing --------------------------------------------------------------------------------


def card_png(card: Card) -> bytes:
    """The card drawn, as PNG bytes, its digest written inside (DIGEST_KEY)."""
    image = Image.new("RGB", SIZE, card.background)
    draw = ImageDraw.Draw(image, "RGBA")  # RGBA: the shades below are laid over the colour
    # The spine's shadow of the typographic covers.
    draw.rectangle((0, 0, 27, HEIGHT), fill=(0, 0, 0, 46))
    footer_font = _font(FOOTER_SIZE)
    rule_y = HEIGHT - MARGIN - FOOTER_SIZE - 26
    heading_font, heading, byline = _fitted(card, room=rule_y - 40 - MARGIN)
    y = _draw_lines(draw, heading, heading_font, MARGIN, PAPER)
    byline_font = _font(BYLINE_SIZE)
    _draw_lines(draw, byline, byline_font, y + BYLINE_SIZE // 2, (*PAPER, 215))
    draw.line((MARGIN, rule_y, WIDTH - MARGIN, rule_y), fill=(*PAPER, 120), width=2)
    (footer,) = _wrapped(card.footer, footer_font, 1)
    draw.text((MARGIN, HEIGHT - MARGIN - FOOTER_SIZE), footer, font=footer_font, fill=PAPER)
    out = io.BytesIO()
    text = PngImagePlugin.PngInfo()
    text.add_text(DIGEST_KEY, card.digest)
    # Not optimize=True: four times slower for 5 % fewer bytes.
    image.save(out, "PNG", pnginfo=text)
    return out.getvalue()


@lru_cache(maxsize=len(HEADING_SIZES) + 2)
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(FONT_FILE, size)


def _line_height(font: ImageFont.FreeTypeFont) -> int:
    return round(font.size * LINE_SPACING)


def _fitted(card: Card, room: int) -> tuple[ImageFont.FreeTypeFont, list[str], list[str]]:
    """The heading's size and lines, and the byline's: the largest size at which both fit
    whole in the room; at the smallest, what does not fit ends in "…"."""
    byline_font = _font(BYLINE_SIZE)
    byline = _wrapped(card.byline, byline_font, BYLINE_LINES) if card.byline else []
    byline_height = len(byline) * _line_height(byline_font) + BYLINE_SIZE // 2
    for size in HEADING_SIZES:
        font = _font(size)
        lines = _wrapped(card.heading, font, HEADING_LINES)
        whole = not lines[-1].endswith(ELLIPSIS) or card.heading.endswith(ELLIPSIS)
        if whole and len(lines) * _line_height(font) + byline_height <= room:
            return font, lines, byline
    return font, lines, byline


def _draw_lines(
    draw: ImageDraw.ImageDraw,
    lines: list[str],
    font: ImageFont.FreeTypeFont,
    top: int,
    fill: tuple[int, ...],
) -> int:
    """The lines drawn from `top` down; where the next line would start."""
    for line in lines:
        draw.text((MARGIN, top), line, font=font, fill=fill)
        top += _line_height(font)
    return top


def _wrapped(text: str, font: ImageFont.FreeTypeFont, max_lines: int) -> list[str]:
    """The text in lines no wider than the card's text, broken between words (inside a word
    too long for a line); past `max_lines`, the last line cut and ended with "…"."""
    lines: list[str] = []
    for word in text.split():
        joined = f"{lines[-1]} {word}" if lines else word
        if lines and font.getlength(joined) <= TEXT_WIDTH:
            lines[-1] = joined
        else:
            lines += _broken(word, font)
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], _cut(" ".join(lines[max_lines - 1 :]), font)]
    return lines or [""]


def _broken(word: str, font: ImageFont.FreeTypeFont) -> list[str]:
    pieces = [""]
    for letter in word:
        if pieces[-1] and font.getlength(pieces[-1] + letter) > TEXT_WIDTH:
            pieces.append("")
        pieces[-1] += letter
    return pieces


def _cut(text: str, font: ImageFont.FreeTypeFont) -> str:
    """The start of the text that fits on one line with "…" after it, cut at a word if it can."""
    while text and font.getlength(text + ELLIPSIS) > TEXT_WIDTH:
        text = text[:-1]
    if " " in text:
        text = text.rsplit(" ", 1)[0]
    return text.rstrip(" ,;:") + ELLIPSIS
