"""The cells of one row of a CSV import, read for their columns: a blank cell keeps what the
book has, the clearing marker (CSV_CLEAR_MARKER) empties the value, anything else is read
and checked."""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from firestorm import typed_text
from firestorm.catalog import books, isbn, prices, shelves
from firestorm.catalog.stock import COUNT_RULE, LARGEST_STOCK
from firestorm.csv.catalog import Catalog, cell
from firestorm.csv.files import COLUMNS, LIST_SEPARATOR, CsvTable

ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][0-9:.]*)?")

# Every book has these, so the marker can't empty them: a blank cell keeps them instead.
NOT_CLEARED = {
    "title": "A book's title can't be emptied: leave the cell blank to keep it.",
    "authors": "A book's authors can't be emptied: leave the cell blank to keep them.",
    "isbn": "A book's ISBN can't be emptied: leave the cell blank to keep it.",
    "stock": "The stock can't be emptied: write 0 for no copies, or leave the cell blank.",
}


@dataclass(frozen=True)
class NamedShelves:
    """A shelves cell: the shelves that exist, and the names of those that don't yet, each
    as (its address, its name as first written)."""

    known: tuple[int, ...] = ()
    new: tuple[tuple[str, str], ...] = ()


@dataclass
class RowValues:
    """What a row gives for the columns it fills in, read and checked: `given` holds the book's
    details it sets (emptied ones too), `stock` the count it sets."""

    # {BookDetails field: its value}, each of its own type: the keyword arguments of BookDetails.
    given: dict[str, Any] = field(default_factory=dict)
    stock: int | None = None
    problems: list[str] = field(default_factory=list)
    shelves: NamedShelves = NamedShelves()


def read_values(
    cells: tuple[str, ...], table: CsvTable, catalog: Catalog, marker: str
) -> RowValues:
    values = RowValues()
    for column, read in READERS.items():
        typed = cell(cells, table, column)
        if typed is None or not typed.strip():
            # Not in the file, or left blank: the book keeps what it has.
            continue
        clearing = is_marker(typed, marker)
        try:
            value = cleared(column) if clearing else read(typed, catalog)
        except ValueError as problem:
            label = COLUMNS[column]
            values.problems.append(f"{label[:1].upper()}{label[1:]} “{short(typed)}”: {problem}")
            continue
        if not clearing and value in ((), NamedShelves()):
            # Only separators (";"): as blank as an empty cell.
            continue
        if column == "stock" and isinstance(value, int):
            values.stock = value
        elif column == "shelves" and isinstance(value, NamedShelves):
            values.shelves = value
            # A cell naming only shelves still to be added changes nothing unless they are.
            if value.known or not value.new:
                values.given["shelf_ids"] = value.known
        else:
            values.given[column] = value
    return values


def is_marker(typed: str, marker: str) -> bool:
    """Whether the cell says "empty this value" (capitals and spaces aside); an empty marker
    setting turns clearing off."""
    wanted = marker.strip().casefold()
    return bool(wanted) and typed.strip().casefold() == wanted


def cleared(column: str) -> NamedShelves | str | None:
    """The empty value of a column the marker may empty."""
    if column in NOT_CLEARED:
        raise ValueError(NOT_CLEARED[column])
    empty: dict[str, NamedShelves | None] = {
        "release_date": None,
        "price": None,
        "page_count": None,
        "shelves": NamedShelves(),
    }
    return empty.get(column, "")


def short(typed: str) -> str:
    typed = typed_text.one_line(typed)
    return typed if len(typed) <= 40 else typed[:39] + "…"


# --- Each column's reader: a blank cell never reaches them ------------------------------------


def _text(typed: str, catalog: Catalog) -> str:
    return typed


def _line(typed: str, catalog: Catalog) -> str:
    """A value on one line: a line break in it is most likely a quote (") missing its partner,
    which makes the rest of the file one value."""
    if "\n" in typed.strip() or "\r" in typed.strip():
        raise ValueError(
            'This value runs over several lines: a quote (") in the row before it, or in it, '
            "may be missing its closing quote."
        )
    return typed


def _names(typed: str, catalog: Catalog) -> tuple[str, ...]:
    names = _line(typed, catalog).split(LIST_SEPARATOR)
    return tuple(filter(None, (typed_text.one_line(name) for name in names)))


def _date(typed: str, catalog: Catalog) -> date | None:
    found = ISO_DATE.fullmatch(_line(typed, catalog).strip())
    if found is not None:
        try:
            return date(*map(int, found.groups()))
        except ValueError:
            pass  # a month 13 or a February 30: refused as any other shape is
    raise ValueError("Give the date as year-month-day, like 2010-07-01.")


def _isbn(typed: str, catalog: Catalog) -> str:
    typed = typed_text.one_line(typed)
    isbn13 = catalog.isbn13s.get(typed)
    if isbn13 is None:
        raise ValueError(isbn.problem(typed))
    return isbn13


def _stock(typed: str, catalog: Catalog) -> int:
    count = typed_text.whole_number(_line(typed, catalog))
    if count is None or not 0 <= count <= LARGEST_STOCK:
        raise ValueError(COUNT_RULE)
    return count


def _price(typed: str, catalog: Catalog) -> Decimal | None:
    """The export's "18.00", or a price written the locale's way; PriceProblem (a ValueError)
    says why not."""
    return prices.read_plain_or_local_price(_line(typed, catalog), catalog.money)


def _page_count(typed: str, catalog: Catalog) -> int:
    count = typed_text.whole_number(_line(typed, catalog))
    if count is None or not books.is_page_count(count):
        raise ValueError(books.PAGE_COUNT_RULE)
    return count


def _shelves(typed: str, catalog: Catalog) -> NamedShelves:
    """The shelves named, matched by their address; a name no shelf has yet is kept aside
    (the member chooses whether to add it), unless no shelf could ever have it."""
    known: dict[int, None] = {}
    new: dict[str, str] = {}
    for name in _names(typed, catalog):
        try:
            name, slug = shelves.tidied_name(name)
        except shelves.ShelfProblem as problem:
            raise ValueError(f"“{short(name)}”: {problem}") from None
        shelf = catalog.shelves.get(slug)
        if shelf is not None:
            known.setdefault(shelf.id, None)
        else:
            new.setdefault(slug, name)
    return NamedShelves(tuple(known), tuple(new.items()))


# Each reader returns its column's type: what RowValues.given holds for that column.
READERS: dict[str, Callable[[str, Catalog], object]] = {
    "title": _line,
    "subtitle": _line,
    "authors": _names,
    "publisher": _line,
    "release_date": _date,
    "isbn": _isbn,
    "stock": _stock,
    "price": _price,
    "format": _line,
    "page_count": _page_count,
    "description": _text,
    "shelves": _shelves,
}
