"""Fuzzing every route in app.url_map: hostile values (controls, NUL, huge numbers, long
strings, invalid UTF-8, repeated keys, files and JSON where text is expected) in every query
parameter, form field and URL variable, sent as no one, a volunteer and a collective member,
with and without htmx's headers, with the CSRF token and without.

No answer may be a 500 or show a traceback, no redirect may leave the site, and a refusal is a
4xx that says something in words: a page in the site's layout, or for htmx a fragment (the
error box, or the form with its messages). `make test` walks every route 6 times per role;
FIRESTORM_FUZZ_EXAMPLES=2000 (or `make fuzz`) walks it that many times.
"""

import json
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from io import BytesIO
from itertools import product
from urllib.parse import quote, urlsplit

import pytest
from csv_helpers import csv_bytes, row
from fuzz_ids import REAL_VALUES, Cast, make_real_values
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from page_reading import FormFinder, words_in
from review_helpers import GOOD_TEXT, HTMX, sign_in_client, token_of
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect
from werkzeug.test import encode_multipart

from firestorm.database import db
from firestorm.people.models import User
from firestorm.search.queries import SORTS

# Examples per walk; every example sends one request to every route.
EXAMPLES = int(os.environ.get("FIRESTORM_FUZZ_EXAMPLES") or 6)
LONG_RUN = "FIRESTORM_FUZZ_EXAMPLES" in os.environ
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    # Shrinking a walk of every route can take Hypothesis its whole five minutes: in `make
    # test` a failure is reported as found (its last request is the one at fault).
    phases=list(Phase) if LONG_RUN else [Phase.explicit, Phase.reuse, Phase.generate],
    # The site's rows are made once per test and shared by its examples, on purpose.
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
    ],
)

# Query parameters some page reads, sent to every route.
KNOWN_QUERY = ("q", "page", "sort", "in_stock", "book_id", "review_id", "next")
NOT_FIELDS = {"csrf_token"}
SEARCH = {"q": "Dispersing"}
# Fields a form reads that no page draws: a review's first words, sent with the book chosen.
UNDRAWN_FIELDS = {"volunteer.create_review": {"body"}}
# Values that have broken web apps before: controls, NUL, numbers past every integer type,
# other digits, markup, escapes, redirects elsewhere, separators, byte-order marks.
NASTY = [
    *["", " ", "\x00", "a\x00b", "\r\n\r\n", "\t\x0b\x0c", "\x1b[31m", "\u202e\u200b\ufeff"],
    *["\ufffe\uffff", "x" * 300, "9" * 5000, "١٢٣", "１２", "²", "true", "null", "[]", "{}"],
    *["-1", "0", "00", "-0", "1.5", "1e309", "NaN", "inf", "2147483647", "2147483648"],
    *["9223372036854775808", "<script>alert(1)</script>", "' OR '1'='1", "%", "%00", "%%FF"],
    *["../../etc/passwd", "//evil.example", "https://evil.example/", "/\\evil.example"],
    *["/\t/evil.example", "javascript:alert(1)", "@", "a@b.c\x00"],
]
# Values that get past the forms' first checks, mixed in so the walk reaches the domain.
PLAUSIBLE = {
    "q": ["Dispersing", "978-1-84935-011-2", "zibechi"],
    "page": ["1", "2", "3"],
    "sort": list(SORTS),
    "in_stock": ["1", "on"],
    "version": [str(n) for n in range(1, 8)],
    "round": ["1", "2", "3"],
    "body": [GOOD_TEXT, "*Short*."],
    "note": ["Please say who it is for."],
    "email": ["robin@example.org", "someone.new@example.org"],
    "role": ["volunteer", "collective"],
    "display_name": ["Robin Again"],
    "password": ["correct horse", "a much longer passphrase"],
    "current_password": ["correct horse"],
    "new_password": ["a much longer passphrase"],
    "new_password_again": ["a much longer passphrase"],
    "password_again": ["a much longer passphrase"],
    "remember": ["y"],
    "next": ["/my/", "/books?q=x"],
    "kind": ["hold", "order"],
    "name": ["Robin Customer", "Anarchism"],
    "phone": ["828-555-0134"],
    "quantity": ["1", "2"],
    "step": ["1", "-1"],
    "count": ["0", "5"],
    "reason": ["Counted the shelf", "Stocktaking"],
    "state": ["open", "closed", "new", "ready"],
    "opens": ["10:00"],
    "closes": ["17:00"],
    "hidden": ["1"],
    "places": ["1", "2"],
    "waiting": ["1", ""],
    "message": ["We start at 8pm, not 7."],
}
ROLES = [None, "volunteer", "collective"]
# A walk draws a request for each of its routes from one Hypothesis example, whose data has a
# size limit: a walk of all 200-odd routes ran past it nearly every time, and Hypothesis threw
# those walks away and drew again (past 20 minutes in CI). Each walk takes every fourth route.
ROUTE_PARTS = 4
# A file whose dry run offers every choice: it renames the book in stock (tests/fuzz_ids.py)
# and names a shelf there is none of.
RENAMING_FILE = csv_bytes(
    row("Another Title", isbn="9781849350112", stock="3", shelves="A New Shelf")
)


@dataclass(frozen=True)
class Route:
    rule: str
    method: str
    endpoint: str


@dataclass
class Site:
    """What the fuzzer knows: the routes, real values to mix in, and each route's fields."""

    routes: list[Route]
    users: dict[str, int]
    # Real rows' values for URL variables, and for fields of the same name.
    url_values: dict[str, list[str]]
    plausible: dict[str, list[str]]
    fields: dict[str, set[str]]
    csrf_session_value: str
    csrf_token: str

    def __repr__(self) -> str:
        # Hypothesis prints the test's arguments with a failure: the drawn requests matter.
        return f"Site({len(self.routes)} routes)"


@dataclass
class Sent:
    method: str
    path: str
    query: bytes
    headers: dict
    remote_addr: str
    body: bytes | None = None
    content_type: str | None = None


# --- The site: real rows, and the forms its pages draw -----------------------------------------


def fill(rule: str, values: dict[str, str]) -> str:
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m.group(1)], rule)


# The forms' fields, found by the first test of a run that needs them: every test makes the
# same kinds of rows, so the pages draw the same forms (only the ids differ), and drawing every
# page as each role took seconds of each of the fifteen tests' set-up.
_fields_found: dict[str, set[str]] = {}


def fields_found_once(app, users, url_values) -> dict[str, set[str]]:
    if not _fields_found:
        _fields_found.update(discover_fields(app, users, url_values))
    return _fields_found


def discover_fields(app, users, url_values) -> dict[str, set[str]]:
    """Every page drawn with real values, as each role, and the import's dry run: each form's
    fields, by the endpoint it posts (or gets) to."""
    fields = {endpoint: set(names) for endpoint, names in UNDRAWN_FIELDS.items()}
    pages = [
        r
        for r in app.url_map.iter_rules()
        if "GET" in r.methods and r.endpoint not in ("static", "public.review_feed")
    ]
    for role in ROLES:
        client = app.test_client()
        if role:
            with app.app_context():
                sign_in_client(client, db.session.get(User, users[role]))
        for rule in pages:
            for value in url_values_for(rule, url_values):
                # With a search, pages that offer choices (the book picker) draw them.
                read_forms(app, client.get(fill(rule.rule, value), query_string=SEARCH), fields)
    # The import's own form is drawn only in the answer to a file: its dry run.
    member = app.test_client()
    with app.app_context():
        sign_in_client(member, db.session.get(User, users["collective"]))
    dry_run = {"csrf_token": token_of(member), "file": (BytesIO(RENAMING_FILE), "books.csv")}
    read_forms(app, member.post("/collective/books/import", data=dry_run), fields)
    return fields


def read_forms(app, response, fields: dict[str, set[str]]) -> None:
    """The forms of an HTML answer (none in feeds, the sitemap or the icon), added to `fields`
    by the endpoint each goes to."""
    assert response.status_code < 500, response.request.path
    if response.mimetype != "text/html":
        return
    adapter = app.url_map.bind("localhost")
    finder = FormFinder()
    finder.feed(response.get_data(as_text=True))
    for form in finder.found():
        for method, target in form.targets:
            try:
                endpoint, _ = adapter.match(urlsplit(target).path, method=method)
            except (HTTPException, RequestRedirect):
                continue
            fields.setdefault(endpoint, set()).update(form.fields - NOT_FIELDS)


def url_values_for(rule, url_values) -> list[dict[str, str]]:
    """The rule's URL variables filled with every combination of real rows; none when the
    fixture made no row for one of them (the walk fills those with hostile values only)."""
    names = sorted(rule.arguments)
    combinations = product(*(url_values.get(name, []) for name in names))
    return [dict(zip(names, values, strict=True)) for values in combinations]


@pytest.fixture
def fuzz_site(app, client, make_user, covers_dir) -> Site:
    robin = make_user("volunteer", display_name="Robin", email="robin@example.org")
    sam = make_user("collective", display_name="Sam", email="sam@example.org")
    with app.app_context():
        url_values = make_real_values(Cast(robin.id, sam.id, datetime.now(UTC)))
    users = {"volunteer": robin.id, "collective": sam.id}
    token_value = token_of(client)
    with client.session_transaction() as session:
        csrf_session_value = session["csrf_token"]
    routes = [
        Route(rule.rule, method, rule.endpoint)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
    ]
    return Site(
        routes=routes,
        users=users,
        url_values=url_values,
        plausible={**PLAUSIBLE, **url_values},
        fields=fields_found_once(app, users, url_values),
        csrf_session_value=csrf_session_value,
        csrf_token=token_value,
    )


# --- Drawing hostile requests -----------------------------------------------------------------

long_text = st.builds(
    lambda piece, times: piece * times, st.text(min_size=1, max_size=3), st.integers(1_000, 30_000)
)
hostile_text = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=20),
    st.text(st.characters(categories=["Cc", "Cf", "Co", "Cn", "Zl", "Zp", "Zs"]), max_size=8),
    st.integers().map(str),
    st.floats().map(str),
    long_text,
)
# Percent-encoded as they are: mostly not UTF-8 at all.
hostile_bytes = st.binary(min_size=1, max_size=12)
hostile_value = st.one_of(hostile_text, hostile_bytes)
# Raw bytes added to a query string or body as they are, never encoded.
garbage = st.sampled_from([b"", b"&&==&", b"%", b"%zz=%FF", b"\xff\xfe\x00=\x80", b"=;=;", b"a=%"])
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)


def value_of(site: Site, name: str):
    real = site.plausible.get(name)
    return st.one_of(st.sampled_from(real), hostile_value) if real else hostile_value


def encoded(text) -> str:
    return quote(text.encode("utf-8") if isinstance(text, str) else text, safe="")


def url_encoded(pairs, extra: bytes) -> bytes:
    return "&".join(f"{encoded(key)}={encoded(value)}" for key, value in pairs).encode() + extra


def as_part(pair):
    name, value = pair
    if isinstance(value, bytes):
        value = FileStorage(BytesIO(value), filename="upload.bin")
    return name if isinstance(name, str) else name.decode("latin-1"), value


@st.composite
def pairs_for(draw, site: Site, names: list[str], every_field: bool):
    """Each field (or some), then a few more: known or hostile names, repeated keys."""
    pairs = []
    for name in names:
        if every_field and draw(st.integers(0, 4)):
            pairs.append((name, draw(value_of(site, name))))
    key = st.one_of(st.sampled_from(names), hostile_text) if names else hostile_text
    extra = draw(st.lists(key, max_size=3))
    pairs += [
        (name, draw(value_of(site, name) if name in names else hostile_value)) for name in extra
    ]
    return pairs


@st.composite
def hostile_request(draw, site: Site, route: Route) -> Sent:
    path_values = {}
    for name in re.findall(r"<(?:\w+:)?(\w+)>", route.rule):
        hostile = hostile_value.map(encoded)
        real = site.url_values.get(name)
        path_values[name] = draw(st.one_of(st.sampled_from(real), hostile) if real else hostile)
    fields = sorted(site.fields.get(route.endpoint, ()))
    query_names = sorted(set(KNOWN_QUERY) | (set(fields) if route.method == "GET" else set()))
    query = url_encoded(draw(pairs_for(site, query_names, every_field=False)), draw(garbage))
    headers = dict(HTMX) if draw(st.booleans()) else {}
    sent = Sent(
        method=route.method,
        path=fill(route.rule, path_values),
        query=query,
        headers=headers,
        remote_addr=draw(
            st.sampled_from(["127.0.0.1", "10.0.0.1"]) | st.ip_addresses(v=4).map(str)
        ),
    )
    if route.method == "POST":
        # Mostly with the token, so most posts reach the views.
        csrf = draw(st.sampled_from(["field"] * 5 + ["header"] * 2 + ["none", "hostile", "twice"]))
        pairs = draw(pairs_for(site, fields, every_field=True))
        if csrf in ("field", "twice"):
            pairs.insert(0, ("csrf_token", site.csrf_token))
        if csrf in ("hostile", "twice"):
            pairs.insert(draw(st.integers(0, len(pairs))), ("csrf_token", draw(hostile_value)))
        if csrf == "header":
            headers["X-CSRFToken"] = site.csrf_token
        kind = draw(st.sampled_from(["form"] * 5 + ["multipart", "json", "text"]))
        if kind == "form":
            sent.body = url_encoded(pairs, draw(garbage))
            sent.content_type = "application/x-www-form-urlencoded"
        elif kind == "multipart":
            # Bytes go as files: a file where a form expects text.
            parts = MultiDict(as_part(pair) for pair in pairs)
            boundary, sent.body = encode_multipart(parts, "fuzz")
            sent.content_type = f"multipart/form-data; boundary={boundary}"
        elif kind == "json":
            document = draw(
                st.dictionaries(st.sampled_from(fields or ["body"]), json_values) | json_values
            )
            sent.body = json.dumps(document).encode()
            sent.content_type = "application/json"
        else:
            sent.body = url_encoded(pairs, b"\xff")
            sent.content_type = "text/plain"
    return sent


# --- Sending, and judging the answer ------------------------------------------------------------


def send(app, site: Site, role: str | None, sent: Sent):
    """From a new client each time, signed in as the role (whatever the last request did to the
    account's sessions), with the session's CSRF value the site's token was made from."""
    client = app.test_client()
    with client.session_transaction() as session:
        session["csrf_token"] = site.csrf_session_value
        if role:
            with app.app_context():
                session["_user_id"] = db.session.get(User, site.users[role]).get_id()
            session["_fresh"] = True
    return client.open(
        sent.path,
        method=sent.method,
        # WSGI keeps the query string as bytes in a latin-1 str.
        query_string=sent.query.decode("latin-1"),
        headers=sent.headers,
        data=sent.body,
        content_type=sent.content_type,
        environ_base={"REMOTE_ADDR": sent.remote_addr},
    )


def assert_answered_in_words(response, sent: Sent):
    status = response.status_code
    # The icon is the one answer that is not text; a traceback would be.
    html = response.get_data().decode("utf-8", errors="replace")
    said = f"{sent.method} {sent.path} answered {status}: {words_in(html)[:300]!r}"
    assert status < 500, said
    assert "Traceback" not in html and 'File "' not in html, said
    if 300 <= status < 400:
        location = urlsplit(response.headers["Location"])
        assert location.netloc in ("", "localhost") and location.scheme in ("", "http"), said
    if status >= 400:
        if sent.headers.get("HX-Request-Type") == "partial":
            assert words_in(html), said
        else:
            assert '<main id="main"' in html, said
            assert words_in(html.split('<main id="main"', 1)[1]), said


@pytest.mark.parametrize("part", range(ROUTE_PARTS))
@pytest.mark.parametrize("role", ROLES)
@FUZZ
@given(data=st.data())
def test_every_route_answers_hostile_input_in_words(app, fuzz_site, role, part, data):
    for route in fuzz_site.routes[part::ROUTE_PARTS]:
        sent = data.draw(hostile_request(fuzz_site, route), label=f"{route.method} {route.rule}")
        assert_answered_in_words(send(app, fuzz_site, role, sent), sent)


def test_the_fuzzer_finds_every_form(fuzz_site):
    """The walk reaches the views only if it knows their fields: a form the discovery misses
    would be fuzzed with hostile names alone."""
    fields = fuzz_site.fields
    assert {"email", "password", "next", "remember"} <= fields["auth.login"]
    assert {"body", "version", "review_id"} <= fields["volunteer.save_review"]
    assert {"body", "version"} <= fields["volunteer.submit_review"]
    assert {"body"} <= fields["volunteer.preview"]
    assert {"book_id", "body", "q"} <= fields["volunteer.create_review"]
    assert {"round", "note"} <= fields["collective.return_review"]
    assert {"round"} <= fields["collective.approve_review"]
    assert {"email", "role"} <= fields["collective.invitations"]
    assert {"display_name", "password", "password_again"} <= fields["auth.accept_invitation"]
    assert {"current_password", "new_password"} <= fields["auth.change_password"]
    assert {"display_name"} <= fields["auth.change_display_name"]
    assert {"q", "sort", "in_stock"} <= fields["public.catalog_page"]


def test_the_fuzzer_finds_the_forms_of_rows_it_made(fuzz_site):
    """Holds, stock, hours, shelves, people and imports: forms drawn only on the pages of real
    rows (tests/fuzz_ids.py), so their posts carry real ids and reach the forms' checks."""
    fields = fuzz_site.fields
    hold_form = {"kind", "name", "email", "phone", "quantity", "note", "request_key"}
    assert hold_form <= fields["public.place_hold"]
    sign_up_form = {"name", "email", "phone", "places", "date", "waiting", "request_key"}
    assert sign_up_form <= fields["public.sign_up"]
    assert {"date", "message"} <= fields["collective.message_sign_ups"]
    assert {"next"} <= fields["collective.mark_hold_ready"]
    assert {"next"} <= fields["collective.mark_hold_collected"]
    assert {"state", "reason", "next"} <= fields["collective.cancel_hold"]
    assert {"step", "count", "reason"} <= fields["collective.change_stock"]
    assert {"hidden"} <= fields["collective.set_visibility"]
    assert {"title", "authors", "isbn", "stock", "shelves"} <= fields["collective.save_book"]
    assert {"state", "opens", "closes", "note"} <= fields["collective.set_weekday"]
    special_hours = {"first_day", "last_day", "state", "opens", "closes", "reason"}
    assert special_hours <= fields["collective.add_special_hours"]
    assert special_hours <= fields["collective.change_special_hours"]
    assert {"name"} <= fields["collective.add_shelf"]
    assert {"name"} <= fields["collective.rename_shelf"]
    assert {"role"} <= fields["collective.change_role"]
    assert {"file"} <= fields["collective.preview_import"]
    assert {"carried", "renames", "shelves"} <= fields["collective.apply_import"]
    # Forms with nothing but the token (and the button).
    for endpoint in (
        "collective.delete_book",
        "collective.remove_special_hours",
        "collective.remove_shelf",
        "collective.deactivate",
        "collective.reactivate",
        "collective.withdraw_invitation",
        "collective.undo_import",
        "volunteer.mark_notice_read",
    ):
        assert endpoint in fields, endpoint


def test_every_url_variable_has_real_values(app):
    """A variable with none (tests/fuzz_ids.py) leaves its routes fuzzed with hostile values
    only: every request a 404, no form reached."""
    variables = {
        name
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for name in rule.arguments
    }
    assert variables - set(REAL_VALUES) == set()


def removes(route: Route) -> bool:
    return route.method == "POST" and route.rule.endswith(("/delete", "/remove"))


def test_the_real_values_reach_every_route(app, fuzz_site):
    """Each route finds the rows its real values name, as their owner or as the member: pages
    are drawn, and a post with the token but no fields gets as far as its form. The pages
    first, then the posts, those that remove a row last (an empty one may well remove it)."""
    in_order = sorted(fuzz_site.routes, key=lambda route: (route.method != "GET", removes(route)))
    rules = {
        (rule.rule, method): rule for rule in app.url_map.iter_rules() for method in rule.methods
    }
    not_found = []
    for route in in_order:
        rule = rules[route.rule, route.method]
        if not rule.arguments:
            continue
        real = url_values_for(rule, fuzz_site.url_values)
        if not real:
            not_found.append(f"{route.method} {route.rule}: no real values")
        for values in real:
            sent = Sent(route.method, fill(route.rule, values), b"", {}, "127.0.0.1")
            if route.method == "POST":
                sent.body = f"csrf_token={fuzz_site.csrf_token}".encode()
                sent.content_type = "application/x-www-form-urlencoded"
            answers = [send(app, fuzz_site, role, sent).status_code for role in ROLES[1:]]
            if all(status == 404 for status in answers) or max(answers) >= 500:
                not_found.append(f"{route.method} {sent.path}: {answers}")
    assert not not_found, "\n".join(not_found)
