"""Production: the settings a start refuses (firestorm/production.py), and gunicorn started
from the checked-in gunicorn.conf.py as the README's systemd unit starts it."""

import urllib.request

import pytest
from server_helpers import free_port, gunicorn_env, start_gunicorn, upgrade_database, wait_until_up

from firestorm import create_app
from firestorm.production import UnsafeProductionSettings, production_problems
from firestorm.web.site_address import BadSiteUrl

GOOD = {
    "SECRET_KEY": "k" * 64,
    "DEBUG": False,
    "SITE_URL": "https://books.example.org",
}


@pytest.mark.parametrize(
    ("change", "key_was_configured", "named"),
    [
        ({}, False, "FIRESTORM_SECRET_KEY"),
        ({"SECRET_KEY": "change-me"}, True, "FIRESTORM_SECRET_KEY"),
        ({"SECRET_KEY": "too short"}, True, "FIRESTORM_SECRET_KEY"),
        ({"DEBUG": True}, True, "FIRESTORM_DEBUG"),
        ({"SITE_URL": ""}, True, "FIRESTORM_SITE_URL"),
        ({"SITE_URL": "books.example.org"}, True, "FIRESTORM_SITE_URL"),
        ({"SITE_URL": "ftp://books.example.org"}, True, "FIRESTORM_SITE_URL"),
        ({"SITE_URL": "https://books.example.org/?from=ads"}, True, "FIRESTORM_SITE_URL"),
        ({"SITE_URL": "https://someone@books.example.org"}, True, "FIRESTORM_SITE_URL"),
    ],
)
def test_each_unsafe_setting_is_named_with_its_fix(change, key_was_configured, named):
    problems = production_problems({**GOOD, **change}, key_was_configured)

    assert len(problems) == 1 and problems[0].startswith(named)


def test_safe_settings_have_no_problems():
    assert production_problems(GOOD, key_was_configured=True) == []


def test_production_refuses_to_start_and_says_what_to_fix(database_url):
    with pytest.raises(UnsafeProductionSettings) as refused:
        create_app({"PRODUCTION": True, "DATABASE_URL": database_url, "DEBUG": True})

    message = str(refused.value)
    for setting in ("FIRESTORM_SECRET_KEY", "FIRESTORM_DEBUG", "FIRESTORM_SITE_URL"):
        assert setting in message


def test_development_starts_without_any_of_them(database_url):
    app = create_app({"DATABASE_URL": database_url})

    assert app.config["SECRET_KEY"]
    # Links point at the development server, wherever a request says it came from.
    assert app.config["SITE_URL"] == "http://127.0.0.1:5000"
    robots = app.test_client().get("/robots.txt", base_url="http://evil.example").text
    assert "Sitemap: http://127.0.0.1:5000/sitemap.xml" in robots


def test_a_site_url_that_is_no_address_stops_any_start(database_url):
    with pytest.raises(BadSiteUrl, match="FIRESTORM_SITE_URL: 'books.example.org'"):
        create_app({"DATABASE_URL": database_url, "SITE_URL": "books.example.org"})


def test_the_site_url_is_kept_as_links_are_built_from_it(other_app):
    app = other_app(SITE_URL=" HTTPS://Books.Example.org/shop/ ")

    assert app.config["SITE_URL"] == "https://books.example.org/shop"
    feed = app.test_client().get("/feed.atom").text
    assert "<id>https://books.example.org/shop/feed.atom</id>" in feed


def test_in_production_the_site_answers_to_its_own_host_unless_told_more(database_url):
    app = create_app({**GOOD, "PRODUCTION": True, "DATABASE_URL": database_url})

    assert app.config["TRUSTED_HOSTS"] == ["books.example.org"]
    assert app.test_client().get("/hours", base_url="http://evil.example").status_code == 400
    assert app.test_client().get("/hours", base_url="https://books.example.org").status_code == 200


# --- gunicorn, as deployed ---------------------------------------------------------------


def test_gunicorn_serves_the_site_and_keeps_invitation_links_out_of_its_log(tmp_path):
    port = free_port()
    env = gunicorn_env(
        tmp_path,
        port,
        FIRESTORM_SECRET_KEY="s" * 64,
        FIRESTORM_SITE_URL=f"http://127.0.0.1:{port}",
    )
    upgrade_database(env)
    server = start_gunicorn(env)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/healthz", server)
        with pytest.raises(urllib.error.HTTPError) as unknown_link:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/invite/a-secret-token-1234")
    finally:
        server.terminate()
        log = server.communicate(timeout=10)[0]

    assert unknown_link.value.code == 404
    assert '"GET /healthz HTTP/1.1" 200' in log
    assert "/invite/[redacted]" in log
    assert "a-secret-token-1234" not in log


def test_gunicorn_refuses_to_start_without_a_secret_key(tmp_path):
    env = gunicorn_env(tmp_path, free_port(), FIRESTORM_SITE_URL="https://books.example.org")
    env.pop("FIRESTORM_SECRET_KEY", None)

    server = start_gunicorn(env)
    log = server.communicate(timeout=30)[0]

    assert server.returncode != 0
    assert "FIRESTORM_SECRET_KEY: set a random key" in log


def test_trusted_hosts_may_be_written_as_a_plain_list(other_app):
    app = other_app(TRUSTED_HOSTS="books.example.org, www.example.org")

    assert app.config["TRUSTED_HOSTS"] == ["books.example.org", "www.example.org"]
    assert app.test_client().get("/hours", base_url="http://evil.example").status_code == 400
    assert app.test_client().get("/hours", base_url="http://books.example.org").status_code == 200
