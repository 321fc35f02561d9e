"""Reading CSV files as people bring them (firestorm/csv/files.py): encodings,
delimiters, the first row's names, blank rows, and files that are no CSV at all."""

import pytest
from csv_helpers import HEADER, csv_bytes, fixture_file, row

from firestorm.csv.files import CsvProblem, read_table


def cells_of(table, column):
    position = table.columns[column]
    return [cells[position] for _, cells in table.rows]


def test_utf8_with_a_bom_reads_the_accents_and_loses_the_bom():
    table = read_table(fixture_file("utf8_bom.csv"))

    assert (table.encoding, table.delimiter) == ("UTF-8", ",")
    assert table.columns["title"] == 0, "the BOM is not part of the first column's name"
    assert cells_of(table, "authors") == ["Raúl Zibechi", "adrienne maree brown"]
    assert cells_of(table, "subtitle")[1] == "Shaping Change, Changing Worlds"


def test_utf8_without_a_bom_reads_the_same():
    with_bom = fixture_file("utf8_bom.csv")

    table = read_table(with_bom.removeprefix(b"\xef\xbb\xbf"))

    assert table.encoding == "UTF-8"
    assert cells_of(table, "authors") == ["Raúl Zibechi", "adrienne maree brown"]


def test_a_latin1_file_is_read_as_windows_1252_with_its_accents():
    table = read_table(fixture_file("latin1.csv"))

    assert table.encoding == "Windows-1252"
    assert cells_of(table, "title") == ["Les Misérables", "Cien años de soledad"]
    assert cells_of(table, "publisher") == ["Éditions Gallimard", "Cátedra"]


def test_a_windows_1252_file_keeps_its_curly_quotes_and_dashes():
    table = read_table(fixture_file("windows1252_quotes.csv"))

    assert (table.encoding, table.delimiter) == ("Windows-1252", ";")
    assert cells_of(table, "title") == ["The “Shock” Doctrine"]
    assert cells_of(table, "description") == ["Klein’s account — of disaster capitalism."]


def test_a_file_in_another_code_page_is_refused_with_how_to_save_it():
    with pytest.raises(CsvProblem) as refused:
        read_table(fixture_file("cp1251_cyrillic.csv"))

    message = str(refused.value)
    assert "neither UTF-8 nor Windows-1252" in message
    assert "CSV UTF-8" in message and "File → Save As" in message


def test_bytes_no_code_page_has_are_refused_with_how_to_save_it():
    # 0x81 is no character in Windows-1252, and the bytes are no UTF-8 either.
    data = csv_bytes(row("Caf\u00e9")).replace("é".encode(), b"\x81")

    with pytest.raises(CsvProblem, match="save it again as “CSV UTF-8”"):
        read_table(data)


def test_utf16_with_its_bom_is_read_tab_separated_as_spreadsheets_save_it():
    text = "\t".join(HEADER) + "\r\n" + "\t".join(row("Poesía", authors="José Martí")) + "\r\n"

    table = read_table(text.encode("utf-16"))

    assert (table.encoding, table.delimiter) == ("UTF-16", "\t")
    assert cells_of(table, "title") == ["Poesía"]


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("image.csv", "This file is a PNG image, not a CSV file."),
    ],
)
def test_an_image_renamed_csv_is_refused_in_words(name, words):
    with pytest.raises(CsvProblem, match=words):
        read_table(fixture_file(name))


@pytest.mark.parametrize(
    ("start", "kind"),
    [
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "a JPEG image"),
        (b"PK\x03\x04\x14\x00", "a spreadsheet or a zip file"),
        (b"%PDF-1.7\n", "a PDF document"),
        (b"title,authors\n\x00\x01\x02", "not text"),
    ],
)
def test_other_files_that_are_not_csv_are_refused_saying_what_they_are(start, kind):
    with pytest.raises(CsvProblem, match=kind):
        read_table(start + b"\x00" * 64)


def test_an_empty_file_is_refused():
    for empty in (b"", b"\r\n\r\n  \n"):
        with pytest.raises(CsvProblem, match="The file is empty."):
            read_table(empty)


def test_semicolons_are_found_and_a_quoted_semicolon_stays_in_its_value():
    table = read_table(fixture_file("semicolons.csv"))

    assert table.delimiter == ";"
    assert table.delimiter_in_words == "semicolons"
    assert cells_of(table, "authors") == ["Raúl Zibechi; Ramor Ryan"]
    assert cells_of(table, "description") == ["How people organise, without a state."]


def test_column_names_are_read_however_they_are_spelled():
    header = ["TITLE", "Sub-title", "Author", "Release_Date", "ISBN-13", "Copies", "Shelf"]

    table = read_table(csv_bytes(["x"] * len(header), header=header))

    assert table.columns == {
        "title": 0,
        "subtitle": 1,
        "authors": 2,
        "release_date": 3,
        "isbn": 4,
        "stock": 5,
        "shelves": 6,
    }


@pytest.mark.parametrize("name", ["pages", "Page count", "page_count", "Number of pages", "PAGES"])
def test_the_pages_column_is_read_by_its_usual_names(name):
    table = read_table(csv_bytes(["x", "320"], header=["title", name]))

    assert table.columns == {"title": 0, "page_count": 1}
    assert table.ignored == ()


def test_missing_and_extra_columns_are_told_apart():
    table = read_table(fixture_file("missing_and_extra_columns.csv"))

    assert set(table.columns) == {"title", "authors", "isbn"}
    assert table.ignored == ("Supplier", "Notes")
    assert table.missing == (
        "subtitle",
        "publisher",
        "release date",
        "stock",
        "price",
        "format",
        "pages",
        "description",
        "shelves",
    )


def test_blank_rows_are_skipped_and_rows_keep_the_numbers_a_spreadsheet_shows():
    table = read_table(fixture_file("blank_lines.csv"))

    assert [number for number, _ in table.rows] == [4, 7]
    assert table.blank_rows == 5
    assert cells_of(table, "title") == ["Dispersing Power", "Emergent Strategy"]


@pytest.mark.parametrize(
    ("header", "words"),
    [
        (["Name", "Cost"], "none of its names is one of them"),
        (["authors", "ISBN"], "no “title” column"),
        (["title", "Author", "authors"], "“Author” and “authors”. Keep one of them."),
    ],
)
def test_a_first_row_that_names_no_usable_columns_is_refused(header, words):
    with pytest.raises(CsvProblem, match=words):
        read_table(csv_bytes(["x"] * len(header), header=header))


def test_a_value_too_long_to_be_one_is_refused_with_its_row():
    data = csv_bytes(row("A Book"), row("x" * 200_000))

    with pytest.raises(CsvProblem, match="Row 3 can't be read"):
        read_table(data)
