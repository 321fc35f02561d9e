"""Every absolute address the site writes comes from SITE_URL (web/site_address.py), never from
the Host a request names: a foreign Host, X-Forwarded-Host, a port or the site's second host
leaves nothing behind on any page, kept or not, in a link sent out or in an email."""

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from mail_helpers import ClosingClient
from public_pages import SITE_URL, public_paths
from review_helpers import approve_path, as_drawn, page_text, token_of

# What a visitor may claim the site's address is: none of it may show. The port is looked
# for with its colon, as a timestamp's microseconds may hold "666" (no clock shows ":666").
FOREIGN = (":666", "evil.example", "www.books.example.org", "http://books.example.org")

# Absolute addresses a page writes in attributes, XML elements and robots.txt.
ADDRESS = re.compile(r"""(?:https?:)?//[^\s"'<>)]+""")


def sites_own_addresses(body: str) -> list[str]:
    """The addresses on a page that point at a site (not those of schema.org, the map…)."""
    return [
        url
        for url in ADDRESS.findall(body)
        if "books.example" in url or "localhost" in url or "evil.example" in url
    ]


def assert_only_the_sites_address(path: str, body: str) -> None:
    for foreign in FOREIGN:
        assert foreign not in body, (path, foreign)
    for url in sites_own_addresses(body):
        assert url.startswith(SITE_URL + "/"), (path, url)


class ClientAt(ClosingClient):
    """A test client whose every request names one host (its cookies kept for that host)."""

    def __init__(self, app, host: str):
        super().__init__(app, app.response_class, use_cookies=True)
        self.base_url = f"http://{host}"

    def open(self, *args, **kwargs):
        kwargs.setdefault("base_url", self.base_url)
        return super().open(*args, **kwargs)


def client_at(app, host: str, signed_in=None) -> ClientAt:
    """A browser at this host, signed in as that person if given."""
    client = ClientAt(app, host)
    if signed_in is not None:
        with client.session_transaction(base_url=client.base_url) as session:
            session["_user_id"] = signed_in.get_id()
            session["_fresh"] = True
    return client


@pytest.fixture
def behind_a_proxy(other_app):
    """The site as deployed: a proxy in front (X-Forwarded-*), answering to two host names."""
    return other_app(PROXY_COUNT=1, TRUSTED_HOSTS=["books.example.org", "www.books.example.org"])


FOREIGN_REQUESTS = [
    {"base_url": "http://books.example.org:666"},
    {"base_url": "http://www.books.example.org"},
    {"headers": {"X-Forwarded-Host": "www.books.example.org:666", "X-Forwarded-Proto": "http"}},
    {"headers": {"X-Forwarded-Host": "books.example.org", "X-Forwarded-Port": "666"}},
]


def test_no_host_a_request_names_reaches_any_public_page_kept_or_not(behind_a_proxy, public_shop):
    client = client_at(behind_a_proxy, "books.example.org")
    paths = public_paths(public_shop) + ["/sitemaps/1.xml"]

    for asked in FOREIGN_REQUESTS:
        for path in paths:
            response = client.get(path, **asked)
            assert response.status_code == 200, (path, asked)
            assert_only_the_sites_address(path, page_text(response))

    for path in paths:
        # Whatever each worker kept from the requests above, a normal visitor gets the truth.
        response = client.get(path)
        assert_only_the_sites_address(path, page_text(response))


def test_the_canonical_link_is_the_sites_address_whatever_the_host(behind_a_proxy, public_shop):
    client = client_at(behind_a_proxy, "books.example.org")

    for asked in FOREIGN_REQUESTS:
        page = page_text(client.get("/hours", **asked))
        assert f'<link rel="canonical" href="{SITE_URL}/hours">' in page


def test_robots_txt_names_the_sites_own_sitemap_in_development_too(app, client):
    robots = page_text(client.get("/robots.txt", base_url="http://evil.example"))

    assert f"Sitemap: {SITE_URL}/sitemap.xml" in robots
    assert "evil.example" not in robots


def test_an_untrusted_host_is_refused_even_behind_the_proxy(behind_a_proxy):
    client = client_at(behind_a_proxy, "books.example.org")

    assert client.get("/hours", base_url="http://evil.example").status_code == 400
    forwarded = client.get("/hours", headers={"X-Forwarded-Host": "evil.example"})
    assert forwarded.status_code == 400


def test_an_invitation_link_is_the_sites_whatever_the_host(behind_a_proxy, make_user):
    client = client_at(behind_a_proxy, "books.example.org", make_user(role="collective"))
    forwarded = {"X-Forwarded-Host": "books.example.org", "X-Forwarded-Port": "666"}

    response = client.post(
        "/collective/invitations",
        data={"csrf_token": token_of(client), "email": "new@example.org", "role": "volunteer"},
        headers=forwarded,
    )

    assert response.status_code == 302
    page = page_text(client.get("/collective/invitations", headers=forwarded))
    link = re.search(r'id="invitation-link" type="text" value="([^"]+)"', page).group(1)
    assert link.startswith(f"{SITE_URL}/invite/")


def test_a_mailed_notice_links_to_the_sites_address_whatever_the_host(
    app, people, submit, mail_server
):
    review_id = submit(people["robin"], title="Dispersing Power")
    client = client_at(app, "books.example.org:666", people["sam"])

    decided = client.post(
        approve_path(review_id),
        data={"csrf_token": token_of(client), **as_drawn(app, review_id)},
    )

    assert decided.status_code == 302
    [message] = mail_server
    body = message.get_content()
    assert f"{SITE_URL}/my/reviews/{review_id}/edit" in body
    assert "666" not in body


def test_the_shelf_talkers_qr_codes_and_printed_addresses_are_the_sites(
    app, make_book, people, publish_review
):
    book = make_book("Dispersing Power")
    review_id = publish_review(book, people["robin"]).id
    client = client_at(app, "books.example.org:666", people["sam"])

    sheet = page_text(client.get(f"/collective/shelf-talkers/sheet?review={review_id}"))

    assert f"books.example.org/books/{book.id}" in sheet
    assert "666" not in sheet


def test_links_follow_the_setting_with_a_path(other_app, make_book):
    book = make_book("Dispersing Power")
    app = other_app(SITE_URL="https://example.org/bookshop/")

    page = page_text(app.test_client().get(f"/books/{book.id}"))

    assert f'<link rel="canonical" href="https://example.org/bookshop/books/{book.id}">' in page
    assert urlsplit(app.config["SITE_URL"]).path == "/bookshop"


def test_no_code_builds_an_address_from_the_request():
    """url_for(..., _external=True) takes the request's host: absolute_url is the one way."""
    project = Path(__file__).resolve().parent.parent
    sources = [*(project / "firestorm").rglob("*.py"), *(project / "templates").rglob("*.*")]
    rule = project / "firestorm" / "web" / "site_address.py"  # says why, in its docstring

    offenders = [
        str(path)
        for path in sources
        if path != rule and re.search(r"_external\s*=\s*True", path.read_text(errors="replace"))
    ]

    assert offenders == []
