"""at most one open invitation per address

Revision ID: 65b78ffddade
Revises: 137353b5cbf4
Create Date: 2026-11-29 18:51:11.085666

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '65b78ffddade'
down_revision = '137353b5cbf4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cancelled_at', sa.DateTime(), nullable=True))
    # Earlier code replaced a link by ending its validity and leaving it unaccepted: every
    # unaccepted invitation but the newest for its address is such a replaced one.
    op.execute(
        """
        UPDATE invitations SET cancelled_at = expires_at
        WHERE accepted_at IS NULL
          AND id NOT IN (
            SELECT newest FROM (
              SELECT MAX(id) AS newest FROM invitations
              WHERE accepted_at IS NULL GROUP BY email
            ) AS newest_per_email
          )
        """
    )
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.create_index('ix_invitations_one_open_per_email', ['email'], unique=True, sqlite_where=sa.text('accepted_at IS NULL AND cancelled_at IS NULL'), postgresql_where=sa.text('accepted_at IS NULL AND cancelled_at IS NULL'))


def downgrade():
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.drop_index('ix_invitations_one_open_per_email', sqlite_where=sa.text('accepted_at IS NULL AND cancelled_at IS NULL'), postgresql_where=sa.text('accepted_at IS NULL AND cancelled_at IS NULL'))
        batch_op.drop_column('cancelled_at')
