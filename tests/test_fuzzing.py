"""Fuzzing every route in app.url_map: hostile values (controls, NUL, huge numbers, long
strings, invalid UTF-8, repeated keys, files and JSON where text is expected) in every query
parameter, form field and URL variable, sent as no one, a volunteer and a collective member,
with and without htmx's headers, with the CSRF token and without.

No answer may be a 500 or show a traceback, no redirect may leave the site, and a refusal is a
4xx that says something in words: a page in the site's layout, or for htmx a fragment (the
error box, or the form with its messages). `make test` walks every route 8 times per role;
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
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from page_reading import FormFinder, words_in
from review_helpers import GOOD_TEXT, HTMX, page_text, sign_in_client, token_of
from sqlalchemy import select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect
from werkzeug.test import encode_multipart

from firestorm.catalog.models import Book
from firestorm.database import db
from firestorm.people import invitations
from firestorm.people.models import User
from firestorm.reviews.models import ReviewState
from firestorm.search.queries import SORTS

# Examples per walk; every example sends one request to every route.
EXAMPLES = int(os.environ.get("FIRESTORM_FUZZ_EXAMPLES") or 8)
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
        HealthCheck.data_too_large,
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
}
ROLES = [None, "volunteer", "collective"]


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


def discover_fields(app, users, url_values) -> dict[str, set[str]]:
    """Every page drawn with real values, as each role: each form's fields, by the endpoint
    it posts (or gets) to."""
    adapter = app.url_map.bind("localhost")
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
                finder = FormFinder()
                # With a search, pages that offer choices (the book picker) draw them.
                response = client.get(fill(rule.rule, value), query_string=SEARCH)
                if response.mimetype != "text/html":
                    continue  # feeds, the sitemap, the icon: no forms
                finder.feed(page_text(response))
                for form in finder.found():
                    for method, target in form.targets:
                        try:
                            endpoint, _ = adapter.match(urlsplit(target).path, method=method)
                        except (HTTPException, RequestRedirect):
                            continue
                        fields.setdefault(endpoint, set()).update(form.fields - NOT_FIELDS)
    return fields


def url_values_for(rule, url_values) -> list[dict[str, str]]:
    """The rule's URL variables filled with every combination of real rows; none when the
    fixture made no row for one of them (the walk fills those with hostile values only)."""
    names = sorted(rule.arguments)
    combinations = product(*(url_values.get(name, []) for name in names))
    return [dict(zip(names, values, strict=True)) for values in combinations]


@pytest.fixture
def fuzz_site(app, client, make_user, make_book, review_of, submit, in_app) -> Site:
    robin = make_user("volunteer", display_name="Robin", email="robin@example.org")
    sam = make_user("collective", display_name="Sam", email="sam@example.org")
    review_ids = [review_of(robin, state=state) for state in ReviewState]
    review_ids.append(submit(sam))
    make_book("In Stock", authors=["Someone"], isbn13="9781849350112", stock=3)
    with in_app():
        _, token = invitations.create_invitation(
            db.session.get(User, sam.id), "new@example.org", "volunteer", datetime.now(UTC)
        )
        db.session.commit()
        book_ids = [str(book_id) for book_id in db.session.scalars(select(Book.id))]
        user_ids = [str(user_id) for user_id in db.session.scalars(select(User.id))]
    users = {"volunteer": robin.id, "collective": sam.id}
    url_values = {
        "book_id": book_ids,
        "review_id": [str(review_id) for review_id in review_ids],
        "reviewer_id": user_ids,
        "token": [token],
    }
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
        fields=discover_fields(app, users, url_values),
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


@pytest.mark.parametrize("role", ROLES)
@FUZZ
@given(data=st.data())
def test_every_route_answers_hostile_input_in_words(app, fuzz_site, role, data):
    for route in fuzz_site.routes:
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
