"""What a production start must have, checked before the app serves anything: a real secret
key, debug off, and the host names the site answers to (invitation links are built from the
request's Host). `make run` and the tests are not production; gunicorn.conf.py is."""

from collections.abc import Mapping

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
    if not config.get("TRUSTED_HOSTS"):
        problems.append(
            "FIRESTORM_TRUSTED_HOSTS: name the site's host names, e.g. "
            """'["books.example.org"]'; invitation links are built from the request's host."""
        )
    return problems


def refuse_unsafe_settings(config: Mapping, key_was_configured: bool) -> None:
    if not config.get("PRODUCTION"):
        return
    problems = production_problems(config, key_was_configured)
    if problems:
        raise UnsafeProductionSettings(
            "Firestorm will not start in production until these settings are fixed:\n  - "
            + "\n  - ".join(problems)
        )
