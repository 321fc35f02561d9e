"""CSV files of books as people bring them: bytes decoded (UTF-8 with or without a BOM, or
Windows-1252), the delimiter found, the first row's column names read however they are
spelled, and the rows that follow. No Flask, no database."""

import csv
import io
import re
from dataclasses import dataclass, field

from firestorm.refusals import Refusal
from firestorm.typed_text import fold

# The columns, in the order an export writes them, with the names it gives them.
COLUMNS = {
    "title": "title",
    "subtitle": "subtitle",
    "authors": "authors",
    "publisher": "publisher",
    "release_date": "release date",
    "isbn": "ISBN",
    "stock": "stock",
    "price": "price",
    "format": "format",
    "page_count": "pages",
    "description": "description",
    "shelves": "shelves",
}
# The names people give the columns, folded to letters and digits ("Release date",
# "release_date" and "RELEASE-DATE" are all "releasedate").
COLUMN_NAMES = {
    **{name: name for name in ("title", "subtitle", "authors", "publisher", "description")},
    **dict.fromkeys(["author", "by"], "authors"),
    **dict.fromkeys(
        ["releasedate", "released", "publicationdate", "pubdate", "datepublished", "published"],
        "release_date",
    ),
    **dict.fromkeys(["isbn", "isbn13", "isbn10", "ean"], "isbn"),
    **dict.fromkeys(["stock", "copies", "copiesinstock", "quantity", "qty", "onhand"], "stock"),
    **dict.fromkeys(["shelves", "shelf"], "shelves"),
    **dict.fromkeys(["price", "listprice", "retailprice"], "price"),
    **dict.fromkeys(["format", "binding"], "format"),
    **dict.fromkeys(["pages", "pagecount", "numberofpages", "numpages"], "page_count"),
}
# Each delimiter a file may use, in words: "separated by commas", "a value with a comma".
DELIMITERS = {
    ",": ("commas", "a comma"),
    ";": ("semicolons", "a semicolon"),
    "\t": ("tabs", "a tab"),
}
# Inside a cell, several authors or shelves are separated by this.
LIST_SEPARATOR = ";"

SAVE_AS_UTF8 = (
    "Open it in your spreadsheet and save it again as “CSV UTF-8” (Excel: File → Save As → "
    "CSV UTF-8; LibreOffice: File → Save As → Text CSV, with the character set Unicode (UTF-8))."
)
# What other files start with, for a message better than "not a CSV file".
NOT_CSV = {
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"RIFF": "an image or a sound file",
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a spreadsheet or a zip file (.xlsx, .ods)",
    b"\xd0\xcf\x11\xe0": "an old Excel spreadsheet (.xls)",
}
UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


class CsvProblem(Refusal, field="file"):
    """A file that can't be read as a CSV of books, said in words the member can act on."""


@dataclass(frozen=True)
class DecodedFile:
    text: str
    # "UTF-8", "UTF-16" or "Windows-1252": the preview says which, so accents can be checked.
    encoding: str


@dataclass(frozen=True)
class CsvTable:
    """The rows of a file under its first row, with the columns it names."""

    encoding: str
    delimiter: str
    # How many cells the first row has: a row with more was most likely split by a delimiter
    # inside a value that needed quotes.
    width: int
    # Each column this file has, and which cell of a row holds it.
    columns: dict[str, int]
    # The first row's names that are no column of ours: those cells are not imported.
    ignored: tuple[str, ...]
    # (row number as a spreadsheet shows it, the row's cells), blank rows left out.
    rows: tuple[tuple[int, tuple[str, ...]], ...]
    blank_rows: int
    # The whole text the rows were read from: what an import after a dry run reads again.
    text: str = field(default="", repr=False)

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(COLUMNS[name] for name in COLUMNS if name not in self.columns)

    @property
    def delimiter_in_words(self) -> str:
        return DELIMITERS[self.delimiter][0]

    @property
    def delimiter_name(self) -> str:
        return DELIMITERS[self.delimiter][1]


def read_table(data: bytes) -> CsvTable:
    decoded = decode(data)
    return table_from_text(decoded.text, decoded.encoding)


# --- Bytes to text ---------------------------------------------------------------------------


def decode(data: bytes) -> DecodedFile:
    """The file's text: UTF-8 (a BOM or none), UTF-16 with its BOM, or Windows-1252 (which
    reads Latin-1 too) when that gives Western European text; otherwise CsvProblem."""
    if not data.strip():
        raise CsvProblem("The file is empty.")
    refuse_what_is_not_text(data)
    if data.startswith(UTF16_BOMS):
        return DecodedFile(_decoded(data, "utf-16"), "UTF-16")
    try:
        return DecodedFile(data.removeprefix(UTF8_BOM).decode("utf-8"), "UTF-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = None
    if text is None or not looks_western(text):
        raise CsvProblem(
            "The file's characters are in neither UTF-8 nor Windows-1252 (Western European), "
            f"so accents would come out wrong. {SAVE_AS_UTF8}"
        )
    return DecodedFile(text, "Windows-1252")


def refuse_what_is_not_text(data: bytes) -> None:
    for start, kind in NOT_CSV.items():
        if data.startswith(start):
            raise CsvProblem(
                f"This file is {kind}, not a CSV file. Save the list of books as CSV from your "
                "spreadsheet or till, and choose that file."
            )
    if b"\x00" in data[:8192] and not data.startswith(UTF16_BOMS):
        raise CsvProblem(f"This file is not text, so it is not a CSV file. {SAVE_AS_UTF8}")


def _decoded(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise CsvProblem(
            f"The file is damaged: some characters can't be read. {SAVE_AS_UTF8}"
        ) from None


def looks_western(text: str) -> bool:
    """Whether text read as Windows-1252 is Western European: accented letters among plain
    ones ("café"). Another code page read this way (Cyrillic, Greek) gives mostly accented
    letters, and control characters are no text at all."""
    if re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", text):
        return False
    letters = [ch for ch in text if ch.isalpha()]
    accented = sum(1 for ch in letters if not ch.isascii())
    return accented <= max(3, len(letters) // 4)


# --- Text to rows ----------------------------------------------------------------------------


def table_from_text(text: str, encoding: str = "UTF-8") -> CsvTable:
    text = text.removeprefix("\ufeff")
    delimiter = sniff_delimiter(text)
    records = _records(text, delimiter)
    header_number, header = next(
        ((number, cells) for number, cells in records if any(c.strip() for c in cells)),
        (0, []),
    )
    columns, ignored = map_header(header)
    rows, blank = [], 0
    for number, cells in records:
        if number <= header_number:
            continue
        if any(cell.strip() for cell in cells):
            rows.append((number, tuple(cells)))
        else:
            blank += 1
    return CsvTable(
        encoding, delimiter, len(header), columns, tuple(ignored), tuple(rows), blank, text
    )


def sniff_delimiter(text: str) -> str:
    """The delimiter that makes the most of the first row into our column names (ties: the one
    that splits it into more cells)."""
    first_line = next((line for line in text.splitlines() if line.strip()), "")

    def score(delimiter: str) -> tuple[int, int]:
        cells = next(csv.reader([first_line], delimiter=delimiter), [])
        return sum(1 for cell in cells if column_for(cell)), len(cells)

    return max(DELIMITERS, key=score)


def _records(text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """Every record with its row number (1 for the first), blank rows included, as a
    spreadsheet numbers them."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records = []
    try:
        for number, cells in enumerate(reader, start=1):
            records.append((number, cells))
    except csv.Error:
        raise CsvProblem(
            f"Row {len(records) + 1} can't be read: a value may be too long, or a quote (\") "
            "opened and never closed."
        ) from None
    return records


def column_for(name: str) -> str | None:
    return COLUMN_NAMES.get(re.sub(r"[^a-z0-9]", "", fold(name)))


def map_header(header: list[str]) -> tuple[dict[str, int], list[str]]:
    """Which cell holds which column, and the names that are none of ours."""
    columns: dict[str, int] = {}
    ignored = []
    for position, name in enumerate(header):
        column = column_for(name)
        if column is None:
            if name.strip():
                ignored.append(name.strip())
            continue
        if column in columns:
            first = header[columns[column]].strip()
            raise CsvProblem(
                f"Two columns are read as “{COLUMNS[column]}”: “{first}” and “{name.strip()}”. "
                "Keep one of them."
            )
        columns[column] = position
    if not columns:
        raise CsvProblem(
            "The first row should name the columns (" + ", ".join(COLUMNS.values()) + "), but "
            "none of its names is one of them. Add that row, spelled like the sample."
        )
    if "title" not in columns:
        raise CsvProblem("The file has no “title” column: every book needs its title.")
    return columns, ignored
