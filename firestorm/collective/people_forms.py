"""The forms of the people pages: inviting someone; a person's role, and deactivating or
reactivating their account. The rules (the last member, your own account) live in
people/management.py, and an invitation's in people/invitations.py."""

from typing import Any

from wtforms import (
    BooleanField,
    EmailField,
    SelectField,
)

# types-WTForms 3.2 lacks SelectChoice, which WTForms 3.2 added.
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]
from wtforms.validators import DataRequired, Length

from firestorm.people.models import EMAIL_MAX_LENGTH, Role
from firestorm.web.forms import SiteForm

ROLE_CHOICES = [
    SelectChoice(Role.VOLUNTEER.value, "Volunteer: writes reviews"),
    SelectChoice(
        Role.COLLECTIVE.value, "Collective member: also approves reviews and invites people"
    ),
]


class InvitationForm(SiteForm):
    email = EmailField(
        "Their email address",
        validators=[
            DataRequired("Enter an email address."),
            Length(max=EMAIL_MAX_LENGTH, message="That is too long for an email address."),
        ],
        render_kw={"autocomplete": "email", "maxlength": EMAIL_MAX_LENGTH},
    )
    role = SelectField("Role", choices=ROLE_CHOICES, default=Role.VOLUNTEER.value)


class PersonForm(SiteForm):
    """One of the two forms on a person's page: `name` keeps their ids apart ("role-confirm")."""

    class Meta:
        # CSRFProtect checks every POST before the view; the templates carry the token.
        csrf = False

    name = ""
    # Asked only when the account is the member's own and the change takes their access away.
    confirm = BooleanField()

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        for form_field in self:
            form_field.id = f"{self.name}-{form_field.name}"
            form_field.label.field_id = form_field.id


class RoleForm(PersonForm):
    name = "role"
    # Any value reaches the domain, which refuses an unknown role in words next to the field.
    role = SelectField("Role", choices=ROLE_CHOICES, validate_choice=False)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.confirm.label.text = "Yes, I understand I will lose access to the collective's pages"


class AccessForm(PersonForm):
    name = "access"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.confirm.label.text = (
            "Yes, I understand I will lose access: I will be signed out and unable to sign in"
        )
