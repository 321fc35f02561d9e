"""/about: the collective and the cafe, how to reach us, and the week's hours."""

import re
from collections.abc import Mapping
from dataclasses import dataclass

from flask import current_app, render_template
from flask.typing import ResponseReturnValue

from firestorm.public import bp
from firestorm.web.caching import public_page
from firestorm.web.clock import current_week


@dataclass(frozen=True)
class Contact:
    """How to reach the shop, from the settings; an empty setting is left off the page."""

    address: str
    map_url: str
    phone: str
    email: str

    @classmethod
    def from_config(cls, config: Mapping) -> "Contact":
        return cls(
            *(
                (config.get(key) or "").strip()
                for key in ("STORE_ADDRESS", "STORE_MAP_URL", "STORE_PHONE", "STORE_EMAIL")
            )
        )

    def __bool__(self) -> bool:
        return bool(self.address or self.phone or self.email)

    @property
    def phone_link(self) -> str:
        """tel: with the digits only, as phones dial it: "(828) 555-0142" → tel:8285550142."""
        return "tel:" + re.sub(r"[^\d+]", "", self.phone)


@bp.get("/about")
@public_page
def about_page() -> ResponseReturnValue:
    return render_template(
        "public/about.html",
        contact=Contact.from_config(current_app.config),
        week=current_week(),
    )
