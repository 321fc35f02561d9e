"""The forms for signing in, the account page and accepting an invitation; the rules live in
accounts.py."""

from wtforms import BooleanField, EmailField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length

from firestorm.people.accounts import DISPLAY_NAME_MAX_LENGTH
from firestorm.people.passwords import MAX_LENGTH, MIN_LENGTH
from firestorm.web.forms import SiteForm

NEW_PASSWORD_HINT = (
    f"At least {MIN_LENGTH} characters, and not one of the most common passwords. "
    "A few unrelated words make a good one."
)


def display_name_field() -> StringField:
    return StringField(
        "Display name",
        validators=[
            DataRequired("Enter the name to show on your reviews."),
            Length(
                max=DISPLAY_NAME_MAX_LENGTH,
                message=f"Use at most {DISPLAY_NAME_MAX_LENGTH} characters.",
            ),
        ],
        render_kw={"autocomplete": "nickname", "maxlength": DISPLAY_NAME_MAX_LENGTH},
    )


def new_password_fields(name: str) -> tuple[PasswordField, PasswordField]:
    """A new password and the same typed again, so a typo can't lock its owner out."""
    attributes = {"autocomplete": "new-password", "minlength": MIN_LENGTH, "maxlength": MAX_LENGTH}
    return (
        PasswordField(
            "New password" if name == "new_password" else "Password",
            validators=[InputRequired("Choose a password.")],
            render_kw=attributes,
        ),
        PasswordField(
            "Type it again",
            validators=[
                InputRequired("Type the password a second time."),
                EqualTo(name, "The two passwords are different. Type them again."),
            ],
            render_kw=attributes,
        ),
    )


class LoginForm(SiteForm):
    email = EmailField(
        "Email address",
        validators=[DataRequired("Enter your email address.")],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        "Password",
        validators=[InputRequired("Enter your password.")],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField("Keep me signed in for 30 days on this computer")
    next = HiddenField()


class DisplayNameForm(SiteForm):
    display_name = display_name_field()


class PasswordChangeForm(SiteForm):
    current_password = PasswordField(
        "Current password",
        validators=[InputRequired("Enter your current password.")],
        render_kw={"autocomplete": "current-password"},
    )
    new_password, new_password_again = new_password_fields("new_password")


class AcceptInvitationForm(SiteForm):
    display_name = display_name_field()
    password, password_again = new_password_fields("password")


class ForgotPasswordForm(SiteForm):
    email = EmailField(
        "Email address",
        validators=[DataRequired("Enter the email address you sign in with.")],
        render_kw={"autocomplete": "username"},
    )


class ResetPasswordForm(SiteForm):
    new_password, new_password_again = new_password_fields("new_password")
