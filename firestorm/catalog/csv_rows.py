"""One row of a CSV import: its cells read and checked, the book it updates (found by ISBN,
or by title and authors when it has none), and what it would change, in words."""

import re
from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy import select

from firestorm import typed_text
from firestorm.catalog import books, isbn
from firestorm.catalog.csv_export import unescaped
from firestorm.catalog.csv_files import COLUMNS, LIST_SEPARATOR, CsvTable
from firestorm.catalog.models import Author, Authorship, Book, Shelf, book_shelves
from firestorm.catalog.stock import COUNT_RULE, LARGEST_STOCK
from firestorm.database import db
from firestorm.typed_text import fold

ADDED, UPDATED, UNCHANGED, REFUSED = "added", "updated", "unchanged", "refused"
# The catalog is read for the file's ISBNs and titles this many at a time.
CHUNK = 500
ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][0-9:.]*)?")


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


@dataclass(frozen=True)
class KnownBook:
    """A book in the catalog as a row is compared with it."""

    id: int
    sort_title: str
    details: books.BookDetails
    stock: int


@dataclass
class Catalog:
    """What the file's rows are checked against, read once: the shelves, the file's ISBNs as
    ISBN-13, and the books with those ISBNs or with the titles of rows that have none."""

    shelves: dict[str, Shelf]
    isbn13s: dict[str, str | None]
    by_isbn: dict[str, KnownBook]
    by_title: dict[str, list[KnownBook]]

    @classmethod
    def for_table(cls, table: CsvTable, lock: bool) -> "Catalog":
        shelves = {fold(shelf.name): shelf for shelf in db.session.scalars(select(Shelf))}
        isbn13s, titles = {}, set()
        for _, cells in table.rows:
            typed = typed_text.one_line(cell(cells, table, "isbn") or "")
            if typed:
                isbn13s.setdefault(typed, isbn.to_isbn13(typed))
            else:
                titles.add(
                    books.sort_key_for_title(typed_text.one_line(cell(cells, table, "title")))
                )
        wanted = set(isbn13s.values()) - {None}
        by_isbn = {b.details.isbn: b for b in _known_books(Book.isbn13, wanted, lock)}
        by_title: dict[str, list[KnownBook]] = {}
        for book in _known_books(Book.sort_title, titles, lock):
            by_title.setdefault(book.sort_title, []).append(book)
        return cls(shelves, isbn13s, by_isbn, by_title)


def _known_books(column, values: set, lock: bool) -> list[KnownBook]:
    """The books whose column has one of the values, with their authors and shelves: three
    queries for each 500 values, whatever the number of books."""
    found = []
    values = sorted(values)
    for start in range(0, len(values), CHUNK):
        statement = select(Book).where(column.in_(values[start : start + CHUNK])).order_by(Book.id)
        if lock:
            statement = statement.with_for_update()
        rows = db.session.execute(statement.with_only_columns(*BOOK_COLUMNS)).all()
        if not rows:
            continue
        ids = [row.id for row in rows]
        authors = _grouped(
            select(Authorship.book_id, Author.name)
            .join(Author, Author.id == Authorship.author_id)
            .where(Authorship.book_id.in_(ids))
            .order_by(Authorship.book_id, Authorship.position)
        )
        shelves = _grouped(
            select(book_shelves.c.book_id, book_shelves.c.shelf_id)
            .where(book_shelves.c.book_id.in_(ids))
            .order_by(book_shelves.c.book_id, book_shelves.c.shelf_id)
        )
        found.extend(_known_book(row, authors, shelves) for row in rows)
    return found


BOOK_COLUMNS = (
    Book.id,
    Book.sort_title,
    Book.title,
    Book.subtitle,
    Book.publisher,
    Book.release_date,
    Book.isbn13,
    Book.description,
    Book.stock,
)


def _grouped(statement) -> dict[int, tuple]:
    grouped: dict[int, list] = {}
    for book_id, value in db.session.execute(statement):
        grouped.setdefault(book_id, []).append(value)
    return {book_id: tuple(values) for book_id, values in grouped.items()}


def _known_book(row, authors: dict, shelves: dict) -> KnownBook:
    details = books.BookDetails(
        title=row.title,
        authors=authors.get(row.id, ()),
        subtitle=row.subtitle,
        publisher=row.publisher,
        release_date=row.release_date,
        isbn=row.isbn13 or "",
        description=row.description,
        shelf_ids=shelves.get(row.id, ()),
    )
    return KnownBook(row.id, row.sort_title, details, row.stock)


def cell(cells: tuple[str, ...], table: CsvTable, column: str) -> str | None:
    """The row's value for a column, as the person wrote it; None when the file has no such
    column. A short row's missing cells are empty."""
    if column not in table.columns:
        return None
    position = table.columns[column]
    return unescaped(cells[position]) if position < len(cells) else ""


# --- One row ---------------------------------------------------------------------------------


@dataclass
class RowValues:
    """The values a row gives for the columns the file has, read and checked."""

    given: dict[str, object] = field(default_factory=dict)
    stock: int | None = None
    problems: list[str] = field(default_factory=list)
    details: books.BookDetails | None = None


def planned_row(number, cells, table, catalog, claims, today) -> PlannedRow:
    title = typed_text.one_line(cell(cells, table, "title") or "")[:120]
    shown = PlannedRow(
        number, REFUSED, title, typed_text.one_line(cell(cells, table, "isbn") or "")
    )
    values = _checked_values(cells, table, catalog, today)
    if values.problems:
        return replace(shown, notes=tuple(values.problems))
    book, problem = claims.match(values.details, "authors" in values.given, catalog, number)
    if problem:
        return replace(shown, notes=(problem,))
    if book is None:
        stock = values.stock or 0
        notes = (_copies(stock),)
        return replace(shown, action=ADDED, notes=notes, details=values.details, stock=stock)
    return _update(shown, values, book, catalog)


def _checked_values(cells, table, catalog, today) -> RowValues:
    if len(cells) > table.width and any(extra.strip() for extra in cells[table.width :]):
        # The values after the split are in the wrong columns: what they say is beside the point.
        return RowValues(problems=[_too_many_cells(len(cells), table)])
    values = _read_values(cells, table, catalog)
    if not values.problems:
        try:
            values.details = _checked(books.BookDetails(**values.given), today)
        except books.BookProblem as problem:
            values.problems.append(_in_words(problem))
    return values


def _update(shown: PlannedRow, values: RowValues, book: KnownBook, catalog) -> PlannedRow:
    """The book with what the row gives (a blank ISBN never removes the book's), and what
    that changes."""
    checked = values.details
    given = {
        name: getattr(checked, name) for name in values.given if name != "isbn" or checked.isbn
    }
    details = replace(book.details, **given)
    changes = dict(_changes(book, details, values.stock, catalog))
    return replace(
        shown,
        action=UPDATED if changes else UNCHANGED,
        title=details.title,
        isbn=shown.isbn or (isbn.hyphenated(book.details.isbn) if book.details.isbn else ""),
        notes=tuple(changes.values()),
        details=details,
        stock=values.stock,
        stock_before=book.stock,
        book_id=book.id,
        changed=frozenset(changes),
    )


def _read_values(cells, table, catalog) -> RowValues:
    values = RowValues()
    for column, read in READERS.items():
        typed = cell(cells, table, column)
        if typed is None:
            continue
        try:
            value = read(typed, catalog)
        except ValueError as problem:
            label = COLUMNS[column]
            values.problems.append(f"{label[:1].upper()}{label[1:]} “{_short(typed)}”: {problem}")
            continue
        if column == "stock":
            values.stock = value
        else:
            values.given["shelf_ids" if column == "shelves" else column] = value
    return values


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
    if not _line(typed, catalog).strip():
        return None
    found = ISO_DATE.fullmatch(typed.strip())
    try:
        return date(*map(int, found.groups()))  # type: ignore[union-attr]
    except (AttributeError, ValueError):
        raise ValueError("Give the date as year-month-day, like 2010-07-01.") from None


def _isbn(typed: str, catalog: Catalog) -> str:
    typed = typed_text.one_line(typed)
    if not typed:
        return ""
    isbn13 = catalog.isbn13s.get(typed)
    if isbn13 is None:
        raise ValueError(isbn.problem(typed))
    return isbn13


def _stock(typed: str, catalog: Catalog) -> int | None:
    if not _line(typed, catalog).strip():
        return None
    if not re.fullmatch(r"\d{1,7}", typed.strip()) or int(typed) > LARGEST_STOCK:
        raise ValueError(COUNT_RULE)
    return int(typed)


def _shelves(typed: str, catalog: Catalog) -> tuple[int, ...]:
    found = []
    for name in _names(typed, catalog):
        shelf = catalog.shelves.get(fold(name))
        if shelf is None:
            raise ValueError(
                f"There is no shelf called “{name}”. Add it on the Shelves page first, or "
                "correct the name."
            )
        found.append(shelf.id)
    return tuple(dict.fromkeys(found))


READERS = {
    "title": _line,
    "subtitle": _line,
    "authors": _names,
    "publisher": _line,
    "release_date": _date,
    "isbn": _isbn,
    "stock": _stock,
    "description": _text,
    "shelves": _shelves,
}


@dataclass
class Claims:
    """Which row of the file spoke first for each ISBN, title and book: each book once."""

    keys: dict[object, int] = field(default_factory=dict)
    books: dict[int, int] = field(default_factory=dict)

    def match(self, details, authors_given: bool, catalog: Catalog, number: int):
        """The book the row updates (None: a new one), or why the row can't be matched."""
        if details.isbn:
            key, book, same = details.isbn, catalog.by_isbn.get(details.isbn), "the same ISBN"
        else:
            authors = tuple(fold(name) for name in details.authors) if authors_given else None
            key = (fold(details.title), authors)
            found = [
                book
                for book in catalog.by_title.get(books.sort_key_for_title(details.title), [])
                if fold(book.details.title) == key[0]
                and (authors is None or tuple(fold(n) for n in book.details.authors) == authors)
            ]
            if len(found) > 1:
                which = "this title and these authors" if authors_given else "this title"
                return None, f"{len(found)} books in the catalog have {which}: give the ISBN."
            book, same = (found or [None])[0], "the same title and authors, and no ISBN"
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


def _changes(book: KnownBook, new: books.BookDetails, stock: int | None, catalog: Catalog):
    """(what changes, the change in words) for each difference between the book and the row."""
    old = book.details
    for name in ("title", "subtitle", "publisher", "release_date"):
        before, after = getattr(old, name), getattr(new, name)
        if before != after:
            yield name, f"{COLUMNS[name]} “{before or ''}” → “{after or ''}”"
    if [fold(n) for n in old.authors] != [fold(n) for n in new.authors]:
        yield "authors", f"authors “{'; '.join(old.authors)}” → “{'; '.join(new.authors)}”"
    if old.description != new.description:
        yield "description", "a new description"
    if set(old.shelf_ids) != set(new.shelf_ids):
        names = {shelf.id: shelf.name for shelf in catalog.shelves.values()}
        shelves = ["; ".join(names[i] for i in ids) for ids in (old.shelf_ids, new.shelf_ids)]
        yield "shelves", f"shelves “{shelves[0]}” → “{shelves[1]}”"
    if stock is not None and stock != book.stock:
        yield "stock", f"stock {book.stock} → {stock}"


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


def _short(typed: str) -> str:
    typed = typed_text.one_line(typed)
    return typed if len(typed) <= 40 else typed[:39] + "…"
