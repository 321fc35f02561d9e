"""The public pages are valid HTML, as the Nu Html Checker (vnu.jar, from npm) reads them."""

from html_checks import (
    MONDAY_MORNING,
    TUESDAY_AFTERNOON,
    check_html,
    describe_html_errors,
    save_page,
)

# A page with two real errors and htmx attributes: if the checker ran and the filter hid only
# the htmx messages, exactly these two come back.
CONTROL_PAGE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Control</title></head>
<body hx-headers:inherited='{"X-CSRFToken": "token"}'>
<form action="/books" hx-get="/books" hx-target="#results"><p made-up="1">Search</p></form>
<p>A stray end tag follows</span>
</body>
</html>
"""
CONTROL_ERRORS = [
    "Attribute “made-up” not allowed on element “p” at this point.",
    "Stray end tag “span”.",
]


def test_public_pages_are_valid_html(tmp_path, client, clock, bookshop, nu_html_checker):
    book_id = bookshop["reviewed"].id
    # The htmx answer of /books is a fragment, not a document: it is checked as part of the
    # full catalog page, which includes the same partial.
    clock(TUESDAY_AFTERNOON)
    files = [
        save_page(client, "/", 200, tmp_path / "home.html"),
        save_page(client, "/books", 200, tmp_path / "catalog.html"),
        save_page(client, "/books?q=no+such+title", 200, tmp_path / "catalog-no-results.html"),
        save_page(client, f"/books/{book_id}", 200, tmp_path / "book-with-review.html"),
        save_page(client, f"/books/{book_id}/hold", 200, tmp_path / "hold-form.html"),
        save_page(client, "/order", 200, tmp_path / "order-form.html"),
        save_page(client, "/hours", 200, tmp_path / "hours.html"),
        save_page(client, "/about", 200, tmp_path / "about.html"),
        save_page(client, "/reviews", 200, tmp_path / "reviews.html"),
        save_page(client, "/books?q=dispersing&page=1", 200, tmp_path / "catalog-search.html"),
        save_page(client, "/no-such-page", 404, tmp_path / "not-found.html"),
    ]
    clock(MONDAY_MORNING)
    files.append(save_page(client, "/", 200, tmp_path / "home-closed-today.html"))
    control = tmp_path / "control.html"
    control.write_text(CONTROL_PAGE, encoding="utf-8")

    errors = check_html(nu_html_checker, [*files, control])

    control_errors = [line.split(": ", 1)[1] for line in errors.pop(control.name, [])]
    assert control_errors == CONTROL_ERRORS, "the checker or its htmx filter misbehaves"
    assert not errors, "HTML errors:\n" + describe_html_errors(errors)
