"""What the events' rule tests share: a step's refusal read in words."""

import pytest

from firestorm.database import db
from firestorm.events.planning import EventProblem


def refusal(step) -> tuple[str | None, str]:
    """(field, message) of the step's refusal; nothing of it is kept."""
    with pytest.raises(EventProblem) as refused:
        step()
    db.session.rollback()
    return refused.value.field, str(refused.value)
