"""each hold's private link, by its hash: the customer's own page for the hold, /holds/<token>

Revision ID: 1e7e41325a5b
Revises: d4f7a2c9e6b1
Create Date: 2026-12-09 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '1e7e41325a5b'
down_revision = 'd4f7a2c9e6b1'
branch_labels = None
depends_on = None


def upgrade():
    # Holds placed before have none: their customers were never given a link.
    with op.batch_alter_table('holds', schema=None) as batch_op:
        batch_op.add_column(sa.Column('private_link_hash', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f('uq_holds_private_link_hash'), ['private_link_hash']
        )


def downgrade():
    # The links handed out stop working: their hashes go with the column.
    with op.batch_alter_table('holds', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_holds_private_link_hash'), type_='unique')
        batch_op.drop_column('private_link_hash')
