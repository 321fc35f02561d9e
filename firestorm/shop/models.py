"""The shop's tables: its usual weekly hours and the days it closes outside them."""

from datetime import date, time

from sqlalchemy import CheckConstraint, Date, Integer, String, Time
from sqlalchemy.orm import Mapped, mapped_column

from firestorm.database import Model


class OpeningHours(Model):
    """The usual hours of one weekday (0 = Monday); no row or no times means closed. The note is
    shown to the public beside that weekday's hours ("Kitchen closes at 8pm")."""

    __tablename__ = "opening_hours"
    __table_args__ = (
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_range"),
        CheckConstraint(
            "(opens IS NULL AND closes IS NULL) OR (opens < closes)", name="opens_before_closes"
        ),
    )

    weekday: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    opens: Mapped[time | None] = mapped_column(Time)
    closes: Mapped[time | None] = mapped_column(Time)
    note: Mapped[str] = mapped_column(String(200), default="", server_default="")


class SpecialHoursEntry(Model):
    """Days outside the weekly pattern: closed (a holiday, a staff retreat), or, when `opens`
    and `closes` are set, open at other hours than usual."""

    __tablename__ = "special_hours"
    __table_args__ = (
        CheckConstraint("last_day >= first_day", name="days_in_order"),
        CheckConstraint(
            "(opens IS NULL AND closes IS NULL) OR (opens < closes)", name="opens_before_closes"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date, index=True)
    reason: Mapped[str] = mapped_column(String(200), default="")
    opens: Mapped[time | None] = mapped_column(Time)
    closes: Mapped[time | None] = mapped_column(Time)
