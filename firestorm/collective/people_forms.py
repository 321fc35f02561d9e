"""The forms of a person's page: their role, and deactivating or reactivating their account.
The rules (the last member, your own account) live in people/management.py."""

from wtforms import BooleanField, SelectField

from firestorm.auth.forms import ROLE_CHOICES
from firestorm.web.forms import SiteForm


class PersonForm(SiteForm):
    """One of the two forms on a person's page: `name` keeps their ids apart ("role-confirm")."""

    class Meta:
        # CSRFProtect checks every POST before the view; the templates carry the token.
        csrf = False

    name = ""
    # Asked only when the account is the member's own and the change takes their access away.
    confirm = BooleanField()

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        for form_field in self:
            form_field.id = f"{self.name}-{form_field.name}"
            form_field.label.field_id = form_field.id


class RoleForm(PersonForm):
    name = "role"
    # Any value reaches the domain, which refuses an unknown role in words next to the field.
    role = SelectField("Role", choices=ROLE_CHOICES, validate_choice=False)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.confirm.label.text = "Yes, I understand I will lose access to the collective's pages"


class AccessForm(PersonForm):
    name = "access"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.confirm.label.text = (
            "Yes, I understand I will lose access: I will be signed out and unable to sign in"
        )
