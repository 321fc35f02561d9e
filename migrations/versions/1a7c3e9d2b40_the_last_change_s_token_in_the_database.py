"""the last change's token in the database: one row every server reads

Revision ID: 1a7c3e9d2b40
Revises: f790b0a44d55
Create Date: 2026-12-07 10:00:00.000000

"""
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '1a7c3e9d2b40'
down_revision = 'f790b0a44d55'
branch_labels = None
depends_on = None


def upgrade():
    last_change = op.create_table('last_change',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('token', sa.String(length=32), nullable=False),
    sa.CheckConstraint('id = 1', name=op.f('ck_last_change_one_row')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_last_change'))
    )
    # The one row, with a token no page was ever kept under.
    op.bulk_insert(last_change, [{'id': 1, 'token': secrets.token_hex(8)}])


def downgrade():
    op.drop_table('last_change')
