"""Checks on the HTML the pages send, shared by the test modules (not a test module itself).

tests/ has no __init__.py: pytest's rootdir import mode puts tests/ on sys.path, so test modules
say `from html_checks import …`.
"""

import json
import os
import subprocess
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
VNU_JAR = PROJECT_ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# The checker does not know htmx's attributes; hide exactly those messages and nothing else.
HTMX_ATTRIBUTES = r"Attribute “hx-[^”]+” not allowed on element “[^”]+” at this point\."

STORE_TIME = ZoneInfo("America/New_York")
# An ordinary open afternoon, and a Monday, when the "Closed today" banner shows instead.
TUESDAY_AFTERNOON = datetime(2026, 11, 24, 15, 0, tzinfo=STORE_TIME)
MONDAY_MORNING = datetime(2026, 11, 23, 10, 0, tzinfo=STORE_TIME)

# What a reviewer might type to run script in a reader's browser. Each test adds the attacks
# only it needs (see XSS_ATTACKS + [...] where they are used).
XSS_ATTACKS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    '<a href="javascript:alert(1)">click</a>',
    "<svg onload=alert(1)><circle r=5 /></svg>",
    '<iframe src="https://evil.example"></iframe>',
]


def missing_tool(reason: str):
    """Skip for a developer without the tool; fail where every test must run."""
    if os.environ.get("FIRESTORM_REQUIRE_ALL_TESTS") == "1":
        pytest.fail(f"{reason} (FIRESTORM_REQUIRE_ALL_TESTS=1 requires it)", pytrace=False)
    pytest.skip(reason)


class PageElements(HTMLParser):
    """The real elements and attributes in some HTML, as a browser would build them."""

    def __init__(self, html: str):
        super().__init__()
        self.elements: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


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


def describe_html_errors(errors: dict[str, list[str]]) -> str:
    return "\n".join(
        f"{name}:{line}" for name, messages in sorted(errors.items()) for line in messages
    )


def save_page(client, path: str, status: int, file: Path) -> Path:
    response = client.get(path)
    assert response.status_code == status, f"{path} answered {response.status_code}"
    file.write_bytes(response.data)
    return file


def save_responses(responses: dict, folder: Path) -> list[Path]:
    """Each {name: response} written to folder/name.html, for the checker."""
    files = []
    for name, response in responses.items():
        files.append(folder / f"{name}.html")
        files[-1].write_bytes(response.data)
    return files
