"""Settings (firestorm/settings.py): every setting the code reads has its one default in
firestorm/config.py, and the code reads it from the app's settings, never with a default of its
own that could disagree."""

import ast
from pathlib import Path

from auth_helpers import is_signed_in, sign_in_from
from flask import Flask

from firestorm import config, create_app
from firestorm.settings import instance_path

FIRESTORM = Path(__file__).resolve().parent.parent / "firestorm"
# Flask's own settings have their defaults in Flask; this one create_app makes from DATABASE_URL.
ELSEWHERE = set(Flask.default_config) | {"SQLALCHEMY_DATABASE_URI"}


def settings_read_in(source: str) -> list[tuple[int, str, bool]]:
    """(line, setting, whether a default is given there) for each `config["NAME"]` and
    `config.get("NAME", …)` in `source`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Subscript):
            owner, key, default = node.value, node.slice, False
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "get" and node.args:
            owner, key, default = node.func.value, node.args[0], len(node.args) > 1
        else:
            continue
        named = isinstance(key, ast.Constant) and str(key.value).isupper()
        if named and ast.unparse(owner).endswith("config"):
            found.append((node.lineno, key.value, default))
    return found


def settings_read() -> list[tuple[str, str, bool]]:
    """(where, setting, whether a default is given there) across firestorm/."""
    return [
        (f"{path.relative_to(FIRESTORM)}:{line}", name, default)
        for path in sorted(FIRESTORM.rglob("*.py"))
        for line, name, default in settings_read_in(path.read_text())
    ]


def test_the_reader_finds_settings_read_with_and_without_a_default():
    source = (
        'days = current_app.config["HOLD_DAYS"]\n'
        'port = config.get("MAIL_PORT", 587)\n'
        'page = request.args.get("PAGE", 1)\n'
    )

    assert settings_read_in(source) == [(1, "HOLD_DAYS", False), (2, "MAIL_PORT", True)]


def test_every_setting_the_code_reads_has_its_default_in_config_py():
    defaults = {name for name in vars(config) if name.isupper()}

    missing = [
        f"{where} {name}"
        for where, name, _ in settings_read()
        if name not in defaults and name not in ELSEWHERE
    ]

    assert missing == []


def test_no_setting_is_read_with_a_second_default():
    assert [f"{where} {name}" for where, name, default in settings_read() if default] == []


def test_a_remember_me_cookie_of_another_name_keeps_its_person_signed_in(other_app, make_user):
    # Flask-Login writes the cookie under the setting's name; the check that lets a signed-out
    # visitor through without loading anyone (web/access.py) must read the same name.
    make_user(email="robin@example.org")
    renamed = other_app(REMEMBER_COOKIE_NAME="__Host-remember", SESSION_COOKIE_SECURE=True)
    browser = renamed.test_client()
    sign_in_from(browser, "robin@example.org", remember="y")

    browser.delete_cookie("session")

    assert browser.get_cookie("__Host-remember") is not None
    assert is_signed_in(browser)


def test_a_named_instance_folder_holds_the_sites_own_files(tmp_path, monkeypatch):
    # Two sites from one copy of the code (two app servers on one machine, or the two-server
    # test) each name their own folder: its config.py, secret key, SQLite database and covers.
    folder = tmp_path / "second-site"
    folder.mkdir()
    (folder / "config.py").write_text('STORE_NAME = "Firestorm Annex"\n')
    monkeypatch.setenv("FIRESTORM_INSTANCE_PATH", str(folder))
    monkeypatch.delenv("FIRESTORM_DATABASE_URL", raising=False)
    monkeypatch.delenv("FIRESTORM_SECRET_KEY", raising=False)

    site = create_app()

    assert site.config["STORE_NAME"] == "Firestorm Annex"
    assert site.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{folder / 'firestorm.sqlite3'}"
    assert site.config["SECRET_KEY"] == (folder / "secret_key").read_text().strip()
    assert site.config["COVERS_DIR"] == str(folder / "covers")


def test_without_a_named_instance_folder_the_projects_own_is_used(monkeypatch):
    monkeypatch.delenv("FIRESTORM_INSTANCE_PATH", raising=False)

    assert instance_path() == Path(__file__).resolve().parent.parent / "instance"
