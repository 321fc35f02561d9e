"""OutgoingMessage: one email from the moment a step decides to send it until it is sent, or
given up on after the last try."""

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from firestorm.database import Model, UTCDateTime, one_of, utcnow

# What stands in the stored body where a secret link goes: the link has a column of its own,
# emptied once the message is sent or given up on (only its hash stays).
LINK_PLACEHOLDER = "[[link]]"


class MessageState(enum.StrEnum):
    # Waiting for its first try, or for its next one (next_attempt_at).
    QUEUED = "queued"
    # Claimed by one sender until claimed_until: nobody else takes it meanwhile.
    SENDING = "sending"
    SENT = "sent"
    # Given up after the last try; the collective sees it and may send it again.
    FAILED = "failed"


class OutgoingMessage(Model):
    """One plain-text email. The address, subject and body are personal data: `flask purge`
    erases sent and failed messages HOLD_RETENTION_DAYS after they ended. Logs name a message
    by `about` ("the confirmation of hold ABC123"), never by its address, body or link."""

    __tablename__ = "outgoing_messages"
    __table_args__ = (
        CheckConstraint(one_of("state", MessageState), name="known_state"),
        # The senders' question: which messages are due now?
        Index("ix_outgoing_messages_state_next_attempt_at", "state", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    about: Mapped[str] = mapped_column(String(200))
    # A secret link (an invitation's) while the message waits; None once it is sent or failed.
    link: Mapped[str | None] = mapped_column(String(500))
    # The link's SHA-256, kept after the link itself is gone ("" when the message has none).
    link_hash: Mapped[str] = mapped_column(String(64), default="")

    state: Mapped[str] = mapped_column(String(10), default=MessageState.QUEUED)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The lease of the sender that claimed it: past this, a crashed sender's claim is void.
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Why the last try failed, in plain words (never the address).
    last_error: Mapped[str] = mapped_column(String(300), default="")
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def text_to_send(self) -> str:
        return self.body.replace(LINK_PLACEHOLDER, self.link or "")
