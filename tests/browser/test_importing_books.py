"""CSV import in a real browser: choose a file, read its dry run, tick renames and new shelves,
press Import, see the import's page, undo it; what the pages say while a long file is checked
or imported, with JavaScript and without; and no accessibility violations on these pages.
(Named apart from tests/test_csv_import.py: pytest imports test modules by their file names,
which must differ.)"""

import time

from browser_checks import describe_violations
from playwright.sync_api import expect

from firestorm.csv import importing

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


GRAPES_FILE = (
    b"title,authors,ISBN,shelves\r\n"
    b"Two Rows Same,Someone Else,978-0-14-303943-3,\r\n"
    b"Fledgling,Octavia E. Butler,9781849352604,Classics; Poetyr\r\n"
)


def test_a_rename_and_a_new_shelf_are_ticked_and_the_import_undone(
    page, context, tmp_path, make_book, sign_in_browser, axe_violations
):
    make_book("The Grapes of Wrath", ["John Steinbeck"], isbn13="9780143039433")
    sign_in_browser(context, role="collective")
    page.goto("/collective/books/import")
    path = tmp_path / "till.csv"
    path.write_bytes(GRAPES_FILE)
    page.get_by_label("CSV file").set_input_files(str(path))
    page.get_by_role("button", name="See what it would do").click()

    page.get_by_label(
        "Row 2 would rename “The Grapes of Wrath” (John Steinbeck) to “Two Rows Same” "
        "(Someone Else)"
    ).check()
    page.get_by_label("Add the shelf “Classics” (row 3)").check()
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)
    page.get_by_role("button", name="Import: add 1, update 0, and what you tick").click()

    main = page.locator("main")
    expect(main).to_contain_text("1 updated (row 2)")
    expect(main).to_contain_text("Shelves added: Classics.")
    expect(main).to_contain_text("Poetyr (row 3)")
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)

    page.get_by_role("link", name="Undo this import").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Undo the import of till.csv?")
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)
    page.get_by_role("button", name="Undo the import of till.csv").click()

    expect(main).to_contain_text("The import of till.csv is undone.")
    page.get_by_role("link", name="Past imports").click()
    expect(page.get_by_role("table")).to_contain_text("till.csv")
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)
    page.goto("/collective/books?q=grapes")
    expect(page.locator("#book-table")).to_contain_text("The Grapes of Wrath")


def slowed(monkeypatch, module, name, seconds=1.5):
    """The function takes `seconds` longer: long enough to see what the page shows meanwhile."""
    original = getattr(module, name)

    def slow(*args, **kwargs):
        time.sleep(seconds)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, slow)


# Presses the button, and a moment later, while the browser still waits for the answer, reads
# what the form says and whether its button can be pressed again. (Playwright's own locators
# wait for the navigation to end, which is past what this is about.)
PRESS_AND_LOOK = """async (name) => {
  const button = [...document.querySelectorAll("button")].find(
    (b) => b.textContent.trim().startsWith(name));
  button.click();
  await new Promise((done) => setTimeout(done, 300));
  const note = button.form.querySelector("[role=status]");
  return [note.textContent, button.disabled];
}"""


def test_a_long_check_and_import_say_so_while_the_browser_waits(
    page, context, tmp_path, sign_in_browser, monkeypatch
):
    sign_in_browser(context, role="collective")
    slowed(monkeypatch, importing, "preview")
    slowed(monkeypatch, importing, "import_text")
    page.goto("/collective/books/import")
    path = tmp_path / "till export.csv"
    path.write_bytes(CSV)
    page.get_by_label("CSV file").set_input_files(str(path))

    checking = page.evaluate(PRESS_AND_LOOK, "See what it would do")

    assert checking == ["Checking the file… A few thousand rows take a few seconds.", True]
    expect(page.get_by_role("heading", level=1)).to_have_text("Dry run of till export.csv")
    while_importing = page.evaluate(PRESS_AND_LOOK, "Import: add 2, update 0")
    assert while_importing == [
        "Importing 3 rows… Keep this page open: it takes a few seconds for a few thousand rows.",
        True,
    ]
    expect(page.get_by_role("heading", level=1)).to_have_text("Imported till export.csv")


def test_without_javascript_the_pages_say_beforehand_that_it_takes_a_few_seconds(
    new_context, sign_in_browser, tmp_path
):
    context = new_context(java_script_enabled=False)
    sign_in_browser(context, role="collective")
    page = context.new_page()
    page.goto("/collective/books/import")
    expect(page.locator("main")).to_contain_text(
        "Checking a file of a few thousand rows takes a few seconds."
    )

    choose_file(page, tmp_path)

    expect(page.locator("main")).to_contain_text(
        "Importing takes a few seconds for a few thousand rows (this file has 3 rows)"
    )
    page.get_by_role("button", name="Import: add 2, update 0").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Imported till export.csv")
