"""One row of a CSV import: the book it updates (found by ISBN, or by title and authors when it
has none), what it would change, in words, and what the member's choices make of it (a rename
made or left, new shelves added or not)."""

from collections.abc import Collection, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from firestorm import typed_text
from firestorm.catalog import books, isbn, prices
from firestorm.csv.catalog import Catalog, KnownBook, cell
from firestorm.csv.cells import RowValues, read_values
from firestorm.csv.files import COLUMNS, CsvTable
from firestorm.typed_text import fold

ADDED, UPDATED, UNCHANGED, REFUSED = "added", "updated", "unchanged", "refused"
# A row that would make its book another book (a rename), and one whose rename was not chosen.
RENAME, LEFT = "rename", "left"
ACTIONS = (ADDED, UPDATED, UNCHANGED, RENAME, LEFT, REFUSED)


@dataclass(frozen=True)
class PlannedRow:
    """What one row of the file does, and why: `notes` are the changes or the refusals."""

    number: int
    action: str
    title: str
    isbn: str
    notes: tuple[str, ...] = ()
    details: books.BookDetails | None = field(default=None, repr=False)
    # The count the row sets, and the book's count now (0 for a new book).
    stock: int | None = None
    stock_before: int = 0
    book_id: int | None = None
    # What the row changes: "authors", "shelves", "stock"… (everything, for a new book).
    changed: frozenset[str] = frozenset()
    # The book as it is, for an update: what undoing the import puts back.
    before: books.BookDetails | None = field(default=None, repr=False)
    # For a rename: "would rename “…” (…) to “…” (…)".
    rename: str = ""
    # Shelves the row names that don't exist yet, as (address, name); and the shelves it names
    # that do, which the book sits on with the new ones if those are added.
    new_shelves: tuple[tuple[str, str], ...] = ()
    named_shelf_ids: tuple[int, ...] = ()

    @property
    def book(self) -> books.BookDetails:
        """The book as the row leaves it: every row but a refused one has it."""
        if self.details is None:
            raise ValueError(f"Row {self.number} is {self.action}: it leaves no book.")
        return self.details

    @property
    def updated_id(self) -> int:
        """The id of the book the row updates: every row that updates a book has it."""
        if self.book_id is None:
            raise ValueError(f"Row {self.number} is {self.action}: it updates no book.")
        return self.book_id

    def decided(self, renames: Collection[int], shelf_ids: dict[str, int]) -> "PlannedRow":
        """The row as the member chose: its rename made only when it was ticked (otherwise the
        row is left as it was), and put on the new shelves that are added (`shelf_ids`, by
        their address)."""
        row = self
        if row.action == RENAME:
            if row.number not in renames:
                return replace(row, action=LEFT)
            row = replace(row, action=UPDATED)
        added = tuple(shelf_ids[slug] for slug, _ in row.new_shelves if slug in shelf_ids)
        if not added or row.action not in (ADDED, UPDATED, UNCHANGED):
            return row
        return replace(
            row,
            action=ADDED if row.action == ADDED else UPDATED,
            details=replace(row.book, shelf_ids=row.named_shelf_ids + added),
            changed=row.changed | {"shelves"},
        )


def planned_row(
    number: int,
    cells: tuple[str, ...],
    table: CsvTable,
    catalog: Catalog,
    claims: "Claims",
    today: date,
    marker: str,
) -> PlannedRow:
    title = typed_text.one_line(cell(cells, table, "title") or "")[:120]
    shown = PlannedRow(
        number, REFUSED, title, typed_text.one_line(cell(cells, table, "isbn") or "")
    )
    if len(cells) > table.width and any(extra.strip() for extra in cells[table.width :]):
        # The values after the split are in the wrong columns: what they say is beside the point.
        return replace(shown, notes=(_too_many_cells(len(cells), table),))
    values = read_values(cells, table, catalog, marker)
    if values.problems:
        return replace(shown, notes=tuple(values.problems))
    book, problem = claims.match(values.given, catalog, number)
    if problem:
        return replace(shown, notes=(problem,))
    try:
        if book is None:
            return _addition(shown, values, today)
        return _update(shown, values, book, catalog, today)
    except books.BookProblem as refused:
        return replace(shown, notes=(_in_words(refused),))


def _addition(shown: PlannedRow, values: RowValues, today: date) -> PlannedRow:
    details = _checked(books.BookDetails(**{"title": "", **values.given}), today)
    stock = values.stock or 0
    return replace(
        shown,
        action=ADDED,
        notes=(_copies(stock), *_on_new_shelves(values)),
        details=details,
        stock=stock,
        new_shelves=values.shelves.new,
        named_shelf_ids=values.shelves.known,
    )


def _update(
    shown: PlannedRow, values: RowValues, book: KnownBook, catalog: Catalog, today: date
) -> PlannedRow:
    """The book with what the row gives (every other value as the book has it), and what that
    changes. Only the row's own values go through the form's rules: the book's are kept."""
    checked = _checked(books.BookDetails(**{"title": book.details.title, **values.given}), today)
    details = replace(book.details, **{name: getattr(checked, name) for name in values.given})
    changes = dict(_changes(book, details, values.stock, catalog))
    rename = _rename(book.details, details)
    return replace(
        shown,
        action=RENAME if rename else UPDATED if changes else UNCHANGED,
        title=details.title,
        isbn=shown.isbn or (isbn.hyphenated(book.details.isbn) if book.details.isbn else ""),
        notes=(*changes.values(), *_on_new_shelves(values)),
        details=details,
        stock=values.stock,
        stock_before=book.stock,
        book_id=book.id,
        changed=frozenset(changes),
        before=book.details,
        rename=rename,
        new_shelves=values.shelves.new,
        named_shelf_ids=values.shelves.known,
    )


def _rename(old: books.BookDetails, new: books.BookDetails) -> str:
    """The rename in words when the row makes the book another book: a title that differs in
    more than capitals, accents and spacing, or authors none of whom the book has. That is
    what a wrong ISBN in a file looks like; a corrected capital, a co-author added or the
    authors put in another order are ordinary changes."""
    same_title = fold(typed_text.one_line(old.title)) == fold(typed_text.one_line(new.title))
    before, after = ({fold(name) for name in d.authors} for d in (old, new))
    same_people = not before or not after or bool(before & after)
    if same_title and same_people:
        return ""
    return f"would rename {_named(old)} to {_named(new)}"


def _named(details: books.BookDetails) -> str:
    authors = f" ({'; '.join(details.authors)})" if details.authors else ""
    return f"“{details.title}”{authors}"


@dataclass
class Claims:
    """Which row of the file spoke first for each ISBN, title and book: each book once."""

    keys: dict[object, int] = field(default_factory=dict)
    books: dict[int, int] = field(default_factory=dict)

    def match(
        self, given: dict[str, Any], catalog: Catalog, number: int
    ) -> tuple[KnownBook | None, str | None]:
        """The book the row updates (None: a new one), or why the row can't be matched."""
        key: object
        book: KnownBook | None
        if given.get("isbn"):
            key, book = given["isbn"], catalog.by_isbn.get(given["isbn"])
            same = "the same ISBN"
        elif "title" in given:
            title = typed_text.one_line(given["title"])
            authors = tuple(fold(name) for name in given["authors"]) if "authors" in given else None
            folded = fold(title)
            key = (folded, authors)
            found = [
                known
                for known in catalog.by_title.get(books.sort_key_for_title(title), [])
                if fold(known.details.title) == folded
                and (authors is None or tuple(fold(n) for n in known.details.authors) == authors)
            ]
            if len(found) > 1:
                which = "this title" if authors is None else "this title and these authors"
                return None, f"{len(found)} books in the catalog have {which}: give the ISBN."
            book, same = found[0] if found else None, "the same title and authors, and no ISBN"
        else:
            # Neither an ISBN nor a title: a new book, which the rules refuse for its title.
            return None, None
        if key in self.keys:
            return None, f"Row {self.keys[key]} has {same}: each book once in a file."
        if book is not None and book.id in self.books:
            return None, f"Row {self.books[book.id]} changes the same book: each book once."
        self.keys[key] = number
        if book is not None:
            self.books[book.id] = number
        return book, None


def _checked(details: books.BookDetails, today: date) -> books.BookDetails:
    """The book form's rules; the ISBN is checked already, against the whole catalog."""
    return replace(replace(details, isbn="").checked(today), isbn=details.isbn)


def _changes(
    book: KnownBook, new: books.BookDetails, stock: int | None, catalog: Catalog
) -> Iterator[tuple[str, str]]:
    """(what changes, the change in words) for each difference between the book and the row."""
    old = book.details
    for name in ("title", "subtitle", "publisher", "release_date"):
        before, after = getattr(old, name), getattr(new, name)
        if before != after:
            yield name, _changed(COLUMNS[name], before, after)
    if old.price != new.price:
        yield "price", _price_changed(old.price, new.price, catalog.money)
    if old.format != new.format:
        yield "format", _changed(COLUMNS["format"], old.format, new.format)
    if old.page_count != new.page_count:
        yield "page_count", _changed(COLUMNS["page_count"], old.page_count, new.page_count)
    if [fold(n) for n in old.authors] != [fold(n) for n in new.authors]:
        yield "authors", f"authors “{'; '.join(old.authors)}” → “{'; '.join(new.authors)}”"
    if old.description != new.description:
        yield "description", "a new description" if new.description else "description emptied"
    if set(old.shelf_ids) != set(new.shelf_ids):
        names = [catalog.shelf_names(ids) for ids in (old.shelf_ids, new.shelf_ids)]
        yield "shelves", _changed("shelves", *names)
    if stock is not None and stock != book.stock:
        yield "stock", f"stock {book.stock} → {stock}"


def _changed(label: str, before: object, after: object) -> str:
    if not after:
        return f"{label} “{before}” emptied"
    return f"{label} “{before or ''}” → “{after}”"


def _price_changed(before: Decimal | None, after: Decimal | None, money: prices.Money) -> str:
    """ "price “$18.00” → “Free”": a price of 0 is a price, not an empty cell."""
    was = prices.format_price(before, money)
    if after is None:
        return f"price “{was}” emptied"
    return f"price “{was}” → “{prices.format_price(after, money)}”"


def _on_new_shelves(values: RowValues) -> tuple[str, ...]:
    if not values.shelves.new:
        return ()
    names = ", ".join(f"“{name}”" for _, name in values.shelves.new)
    if len(values.shelves.new) == 1:
        return (f"on the new shelf {names} if it is added",)
    return (f"on the new shelves {names} if they are added",)


def _copies(stock: int) -> str:
    return f"a new book, {stock} cop{'y' if stock == 1 else 'ies'} in stock"


def _in_words(problem: books.BookProblem) -> str:
    label = COLUMNS.get(problem.field or "", "")
    return f"{label[:1].upper()}{label[1:]}: {problem}" if label else str(problem)


def _too_many_cells(count: int, table: CsvTable) -> str:
    return (
        f"This row has {count} values but the first row names {table.width} columns: a value "
        f"with {table.delimiter_name} in it needs quotes around it."
    )
