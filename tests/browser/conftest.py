"""Browser tests: Debian's Chromium driven by Playwright against the app served from a thread.

Where Chromium or axe-core is missing these tests skip, unless FIRESTORM_REQUIRE_ALL_TESTS=1
(as CI sets it), where they fail: CI must never pass without them.
"""

import os
import threading
from pathlib import Path

import pytest
from html_checks import missing_tool
from review_helpers import sign_in_client
from werkzeug.serving import make_server

HERE = Path(__file__).resolve().parent
PROJECT_ROOT = HERE.parent.parent
CHROMIUM = os.environ.get("FIRESTORM_CHROMIUM", "/usr/bin/chromium")
# Without the background-networking family of flags Chromium keeps trying to reach the
# internet, which this machine cannot, and says so noisily.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE_SCRIPT = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"


def pytest_collection_modifyitems(items):
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session", autouse=True)
def chromium() -> str:
    if not os.access(CHROMIUM, os.X_OK):
        missing_tool(
            f"no Chromium at {CHROMIUM}: apt-get install chromium, or set FIRESTORM_CHROMIUM"
        )
    return CHROMIUM


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, chromium):
    return {**browser_type_launch_args, "executable_path": chromium, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def base_url(live_server):
    """Lets tests write page.goto("/books")."""
    return live_server


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_SCRIPT.is_file():
        missing_tool(f"no axe-core at {AXE_SCRIPT}: run npm ci in {PROJECT_ROOT}")
    return AXE_SCRIPT.read_text(encoding="utf-8")


@pytest.fixture
def axe_violations(axe_source):
    """axe_violations(page) -> the axe-core violations on the page as it is now.

    The pages' Content-Security-Policy allows no inline script, so page.add_script_tag would
    be refused. page.evaluate goes through the DevTools protocol, which CSP does not govern:
    axe runs on the page exactly as visitors get it, CSP and all.
    """

    def run_axe(page) -> list[dict]:
        if not page.evaluate("() => typeof window.axe === 'object'"):
            page.evaluate(axe_source)
        return page.evaluate("async () => (await axe.run(document)).violations")

    return run_axe


@pytest.fixture
def sign_in_browser(app, make_user, live_server):
    """sign_in_browser(context, user=None, role=…) -> the user, a new one of that role unless
    given: the browser carries a session made by a test client, so these tests don't depend on
    the sign-in page (test_sign_in.py tests that). Signing in again replaces the session."""

    def sign_in_browser(context, user=None, role="volunteer"):
        user = user or make_user(role=role)
        cookie = sign_in_client(app.test_client(), user).get_cookie("session")
        context.add_cookies([{"name": "session", "value": cookie.value, "url": live_server}])
        return user

    return sign_in_browser
