"""failed sign-ins are counted by the rate limiter, not on the account

Revision ID: 936246633b67
Revises: 65b78ffddade
Create Date: 2026-11-29 19:03:31.033715

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '936246633b67'
down_revision = '65b78ffddade'
branch_labels = None
depends_on = None


def upgrade():
    # The counts move to the rate limiter's storage (people/sign_in_guard.py): per email and
    # address, so a refused sign-in writes nothing and nobody can lock a volunteer out.
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('failed_sign_ins')
        batch_op.drop_column('locked_until')


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('locked_until', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('failed_sign_ins', sa.Integer(), nullable=False, server_default='0'))
