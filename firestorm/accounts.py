"""People who sign in: creating accounts with a checked email, role and password."""

import re

from sqlalchemy import select

from firestorm.extensions import db
from firestorm.models import Role, User
from firestorm.passwords import hash_password, password_problem

EMAIL_SHAPE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class AccountError(ValueError):
    """A person's mistake, said in words they can act on."""


def normalize_email(email: str) -> str:
    return email.strip().lower()


def create_user(email: str, display_name: str, role: str, password: str) -> User:
    email = normalize_email(email)
    display_name = " ".join(display_name.split())
    if not EMAIL_SHAPE.match(email) or len(email) > 254:
        raise AccountError(f"“{email}” doesn't look like an email address.")
    if not display_name or len(display_name) > 80:
        raise AccountError("Give a display name of 1 to 80 characters.")
    if role not in set(Role):
        raise AccountError(f"The role must be one of: {', '.join(Role)}.")
    if problem := password_problem(password):
        raise AccountError(problem)
    if db.session.scalar(select(User.id).where(User.email == email)) is not None:
        raise AccountError(f"There is already an account for {email}.")
    user = User(
        email=email, display_name=display_name, role=role, password_hash=hash_password(password)
    )
    db.session.add(user)
    return user
