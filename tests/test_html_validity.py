"""The public pages are valid HTML, as the Nu Html Checker (vnu.jar, from npm) reads them."""

import json
import os
import shutil
import subprocess
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
VNU_JAR = PROJECT_ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# The checker does not know htmx's attributes; hide exactly those messages and nothing else.
HTMX_ATTRIBUTES = r"Attribute “hx-[^”]+” not allowed on element “[^”]+” at this point\."

STORE_TIME = ZoneInfo("America/New_York")
TUESDAY_AFTERNOON = datetime(2026, 11, 24, 15, 0, tzinfo=STORE_TIME)
MONDAY_MORNING = datetime(2026, 11, 23, 10, 0, tzinfo=STORE_TIME)

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


def missing_tool(reason: str):
    """Skip for a developer without the tool; fail where every test must run."""
    if os.environ.get("FIRESTORM_REQUIRE_ALL_TESTS") == "1":
        pytest.fail(f"{reason} (FIRESTORM_REQUIRE_ALL_TESTS=1 requires it)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def nu_html_checker() -> list[str]:
    java = shutil.which("java")
    if java is None:
        missing_tool("no java on PATH: the Nu Html Checker needs Java 11 or later")
    if not VNU_JAR.is_file():
        missing_tool(f"no vnu.jar at {VNU_JAR}: run npm ci in {PROJECT_ROOT}")
    return [java, "-jar", str(VNU_JAR)]


def check_html(checker: list[str], files: list[Path]) -> dict[str, list[str]]:
    """One checker run for all files: {file name: ["line.column: message", ...]} for errors."""
    result = subprocess.run(
        [*checker, "--errors-only", "--format", "json", "--filterpattern", HTMX_ATTRIBUTES]
        + [str(file) for file in files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    try:
        messages = json.loads(result.stderr)["messages"]
    except (json.JSONDecodeError, KeyError):
        pytest.fail(f"vnu.jar exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
    errors: dict[str, list[str]] = {}
    for message in messages:
        name = Path(message.get("url", "unknown")).name
        where = f"{message.get('lastLine', '?')}.{message.get('firstColumn', '?')}"
        errors.setdefault(name, []).append(f"{where}: {message['message']}")
    return errors


def describe(errors: dict[str, list[str]]) -> str:
    return "\n".join(
        f"{name}:{line}" for name, messages in sorted(errors.items()) for line in messages
    )


@pytest.fixture
def bookshop(make_book, make_user, publish_review):
    reviewed = make_book(
        title="Dispersing Power",
        subtitle="Social Movements as Anti-State Forces",
        authors=["Raúl Zibechi"],
        publisher="AK Press",
        isbn13="9781849350112",
        description="How the Aymara of El Alto organise without a state.",
        stock=2,
    )
    make_book(title="Emergent Strategy", authors=["adrienne maree brown"], stock=0)
    reviewer = make_user(display_name="Sam Reviewer")
    publish_review(
        reviewed,
        reviewer,
        body="How people *organise themselves*.\n\nRead it with [a friend](https://example.org).",
    )
    return {"reviewed": reviewed}


def save_page(client, path: str, status: int, file: Path) -> Path:
    response = client.get(path)
    assert response.status_code == status, f"{path} answered {response.status_code}"
    file.write_bytes(response.data)
    return file


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
        save_page(client, "/hours", 200, tmp_path / "hours.html"),
        save_page(client, "/no-such-page", 404, tmp_path / "not-found.html"),
    ]
    clock(MONDAY_MORNING)
    files.append(save_page(client, "/", 200, tmp_path / "home-closed-today.html"))
    control = tmp_path / "control.html"
    control.write_text(CONTROL_PAGE, encoding="utf-8")

    errors = check_html(nu_html_checker, [*files, control])

    control_errors = [line.split(": ", 1)[1] for line in errors.pop(control.name, [])]
    assert control_errors == CONTROL_ERRORS, "the checker or its htmx filter misbehaves"
    assert not errors, "HTML errors:\n" + describe(errors)
