"""holds found at the desk by name, email or phone: each one's search key, the email's and the phone's indexed

Revision ID: a3d5e7f9b1c2
Revises: f9eed305d333
Create Date: 2026-12-05 16:30:00

"""

import unicodedata

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "a3d5e7f9b1c2"
down_revision = "f9eed305d333"
branch_labels = None
depends_on = None


def fold(text):
    # The same folding as firestorm.typed_text.fold, written here because a migration must
    # keep working whatever the app's code becomes.
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def digits_of(phone):
    # As firestorm.holds.models.digits_of.
    return "".join(char for char in phone if char in "0123456789")[:40]


def upgrade():
    with op.batch_alter_table("holds", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("customer_name_key", sa.String(length=240), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column(
                "customer_email_key", sa.String(length=254), nullable=False, server_default=""
            )
        )
        batch_op.add_column(
            sa.Column(
                "customer_phone_digits", sa.String(length=40), nullable=False, server_default=""
            )
        )
        batch_op.create_index("ix_holds_customer_email_key", ["customer_email_key"], unique=False)
        batch_op.create_index(
            "ix_holds_customer_phone_digits", ["customer_phone_digits"], unique=False
        )
    holds = sa.table(
        "holds",
        sa.column("id", sa.Integer),
        sa.column("customer_name", sa.String),
        sa.column("customer_email", sa.String),
        sa.column("customer_phone", sa.String),
        sa.column("customer_name_key", sa.String),
        sa.column("customer_email_key", sa.String),
        sa.column("customer_phone_digits", sa.String),
    )
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(
            holds.c.id, holds.c.customer_name, holds.c.customer_email, holds.c.customer_phone
        ).where(holds.c.customer_name != "")
    ).all()
    for hold_id, name, email, phone in rows:
        connection.execute(
            holds.update()
            .where(holds.c.id == hold_id)
            .values(
                customer_name_key=fold(name)[:240],
                customer_email_key=email.lower()[:254],
                customer_phone_digits=digits_of(phone),
            )
        )


def downgrade():
    with op.batch_alter_table("holds", schema=None) as batch_op:
        batch_op.drop_index("ix_holds_customer_phone_digits")
        batch_op.drop_index("ix_holds_customer_email_key")
        batch_op.drop_column("customer_phone_digits")
        batch_op.drop_column("customer_email_key")
        batch_op.drop_column("customer_name_key")
