"""books' price and format: a list price (empty: not known; 0: free), never below zero, and a
format (paperback, hardcover, zine…)

Revision ID: d4f7a2c9e6b1
Revises: c0e5f1a7d3b9
Create Date: 2026-12-10 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd4f7a2c9e6b1'
down_revision = 'c0e5f1a7d3b9'
branch_labels = None
depends_on = None


def upgrade():
    # Books already in the catalog have no price (the pages say nothing about it) and no
    # format: nothing to check before the rule is added.
    with op.batch_alter_table('books', schema=None) as batch_op:
        batch_op.add_column(sa.Column('price', sa.Numeric(precision=10, scale=2), nullable=True))
        batch_op.add_column(
            sa.Column('format', sa.String(length=40), server_default='', nullable=False)
        )
        batch_op.create_check_constraint('price_not_negative', 'price >= 0')


def downgrade():
    # The prices and formats go with their columns.
    with op.batch_alter_table('books', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_books_price_not_negative'), type_='check')
        batch_op.drop_column('format')
        batch_op.drop_column('price')
