"""What a production start must have, checked before the app serves anything: a real secret
key, debug off, and the site's own address (SITE_URL: every absolute link is built from it;
the host names the site answers to default to its host). `make run` and the tests are not
production; gunicorn.conf.py is."""

from collections.abc import Mapping

from firestorm.web import site_address

# Keys that have been printed in examples and tutorials: as good as no key at all.
KNOWN_KEYS = frozenset({"dev", "development", "secret", "changeme", "change-me", "test secret key"})
SHORTEST_KEY = 32


class UnsafeProductionSettings(RuntimeError):
    """The site refuses to start; the message says which settings to fix, and how."""


def production_problems(config: Mapping, key_was_configured: bool) -> list[str]:
    problems = []
    key = config.get("SECRET_KEY") or ""
    if not key_was_configured or key.lower() in KNOWN_KEYS or len(key) < SHORTEST_KEY:
        problems.append(
            "FIRESTORM_SECRET_KEY: set a random key of at least 32 characters, e.g. "
            "python3 -c 'import secrets; print(secrets.token_hex(32))'"
        )
    if config.get("DEBUG"):
        problems.append("FIRESTORM_DEBUG: turn it off; the debugger runs any code it is sent.")
    problems.extend(site_url_problems(config.get("SITE_URL") or ""))
    return problems


def site_url_problems(site_url: str) -> list[str]:
    if not site_url:
        return [
            "FIRESTORM_SITE_URL: set the site's address, e.g. https://books.example.org; "
            "every link the site sends out (feeds, sitemap, shared links, emails, invitation "
            "links) is built from it, never from the address a request names."
        ]
    try:
        site_address.checked_site_url(site_url)
    except site_address.BadSiteUrl as bad:
        return [str(bad)]
    return []


def refuse_unsafe_settings(config: Mapping, key_was_configured: bool) -> None:
    if not config.get("PRODUCTION"):
        return
    problems = production_problems(config, key_was_configured)
    if problems:
        raise UnsafeProductionSettings(
            "Firestorm will not start in production until these settings are fixed:\n  - "
            + "\n  - ".join(problems)
        )
