"""The Flask extension objects, created unbound and initialised in create_app()."""

from typing import Literal

from alembic.autogenerate.api import AutogenContext
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_wtf import CSRFProtect

# Where a visitor who must sign in is sent.
SIGN_IN_VIEW = "auth.login"


def _render_migration_type(
    type_: str, obj: object, autogen_context: AutogenContext
) -> str | Literal[False]:
    # Migrations must not import the app's code: write UTCDateTime as the DateTime it stores.
    if type_ == "type" and type(obj).__name__ == "UTCDateTime":
        return "sa.DateTime()"
    return False


# Batch mode lets later migrations alter tables on SQLite, which has no ALTER COLUMN.
migrate = Migrate(render_as_batch=True, compare_type=True, render_item=_render_migration_type)
csrf = CSRFProtect()
login_manager = LoginManager()
login_manager.login_view = SIGN_IN_VIEW
login_manager.login_message = "Please sign in to see that page."
login_manager.login_message_category = "info"
# Storage comes from RATELIMIT_STORAGE_URI: memory by default, Redis in production.
limiter = Limiter(key_func=get_remote_address)
