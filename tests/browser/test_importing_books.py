"""CSV import in a real browser: choose a file, read its dry run, press Import, see the summary;
and the import pages have no accessibility violations. (Named apart from tests/test_csv_import.py:
pytest imports test modules by their file names, which must differ.)"""

from browser_checks import describe_violations
from playwright.sync_api import expect

CSV = (
    "title,authors,ISBN,stock\r\n"
    "Dispersing Power,Raúl Zibechi,978-1-84935-011-2,5\r\n"
    "Emergent Strategy,adrienne maree brown,9781849352604,1\r\n"
    "Bad ISBN,Someone,978-1-84935-011-3,1\r\n"
).encode()


def choose_file(page, tmp_path):
    path = tmp_path / "till export.csv"
    path.write_bytes(CSV)
    page.get_by_label("CSV file").set_input_files(str(path))
    page.get_by_role("button", name="See what it would do").click()


def test_a_file_is_imported_after_its_dry_run(
    page, context, tmp_path, make_book, sign_in_browser, axe_violations
):
    make_book("Dispersing Power", ["Raúl Zibechi"], isbn13="9781849350112", stock=2)
    sign_in_browser(context, role="collective")
    page.goto("/collective/books")
    page.get_by_role("link", name="Import from a CSV file").click()
    assert not axe_violations(page), describe_violations(axe_violations(page))

    choose_file(page, tmp_path)

    expect(page.get_by_role("heading", level=1)).to_have_text("Dry run of till export.csv")
    refused = page.get_by_role("table").filter(has_text="Bad ISBN")
    expect(refused).to_contain_text("last digit doesn't match")
    expect(page.locator("main")).to_contain_text("stock 2 → 5")
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)

    page.get_by_role("button", name="Import: add 1, update 1").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Imported till export.csv")
    expect(page.locator("main")).to_contain_text("1 book added (row 3)")
    expect(page.locator("main")).to_contain_text("1 row refused and left out (row 4)")
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)
    page.get_by_role("link", name="Back to the books").click()
    expect(page.locator("#book-table")).to_contain_text("Emergent Strategy")


def test_a_refused_file_is_said_next_to_the_field(
    page, context, tmp_path, sign_in_browser, axe_violations
):
    sign_in_browser(context, role="collective")
    page.goto("/collective/books/import")
    path = tmp_path / "photo.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 32)

    page.get_by_label("CSV file").set_input_files(str(path))
    page.get_by_role("button", name="See what it would do").click()

    expect(page.locator("#file-errors")).to_contain_text("This file is a PNG image")
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)
