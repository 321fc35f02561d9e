"""Password hashing and the rules a new password must meet."""

import pytest
from argon2 import PasswordHasher

from firestorm.people import passwords
from firestorm.people.passwords import (
    hash_password,
    needs_rehash,
    password_problem,
    verify_nothing,
    verify_password,
)


def test_a_hash_is_argon2id_with_owasps_parameters_and_checks_the_password():
    password_hash = hash_password("a long passphrase")

    assert password_hash.startswith("$argon2id$")
    assert "m=19456,t=2,p=1" in password_hash
    assert "a long passphrase" not in password_hash
    assert verify_password(password_hash, "a long passphrase")
    assert not verify_password(password_hash, "a long passphrasE")


@pytest.mark.parametrize("stored", [None, "", "not a hash", "$argon2id$broken"])
def test_a_missing_or_broken_hash_never_matches(stored):
    assert not verify_password(stored, "anything at all")


def test_hashes_made_with_weaker_parameters_need_redoing():
    weak = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1).hash("a passphrase")

    assert needs_rehash(weak)
    assert not needs_rehash(hash_password("a passphrase"))


def test_checking_against_nothing_fails_after_a_real_argon2_check(monkeypatch):
    checked = []
    real_verify = passwords.verify_password

    def spy(password_hash, password):
        checked.append(password_hash)
        return real_verify(password_hash, password)

    monkeypatch.setattr(passwords, "verify_password", spy)

    assert verify_nothing("whatever they typed") is False
    assert len(checked) == 1 and checked[0].startswith("$argon2id$")


@pytest.mark.parametrize(
    "password",
    ["8 chars!", "correct horse battery staple", "x" * 64, "é" * 64 + "ok", "y" * 128],
    ids=["eight", "passphrase", "sixty-four", "unicode", "longest"],
)
def test_long_and_unusual_passwords_are_accepted(password):
    assert password_problem(password) is None


@pytest.mark.parametrize(
    "password, words",
    [
        ("", "at least 8 characters"),
        ("short1!", "at least 8 characters"),
        ("z" * 129, "at most 128 characters"),
        ("password", "most common passwords"),
        ("PassWord1", "most common passwords"),
        ("iloveyou", "most common passwords"),
        ("12345678", "most common passwords"),
    ],
)
def test_short_long_and_common_passwords_are_refused_in_plain_words(password, words):
    assert words in password_problem(password)


def test_the_common_password_list_is_read_once():
    assert passwords.common_passwords() is passwords.common_passwords()
    assert len(passwords.common_passwords()) > 19_000
