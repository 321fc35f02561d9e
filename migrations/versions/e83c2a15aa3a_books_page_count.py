"""books' page count: how many pages a book has (empty: not known), never 0 or fewer

Revision ID: e83c2a15aa3a
Revises: a3d5e7f9b1c2
Create Date: 2026-12-05 18:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e83c2a15aa3a'
down_revision = 'a3d5e7f9b1c2'
branch_labels = None
depends_on = None


def upgrade():
    # Books already in the catalog have no page count (the pages say nothing about it):
    # nothing to check before the rule is added.
    with op.batch_alter_table('books', schema=None) as batch_op:
        batch_op.add_column(sa.Column('page_count', sa.Integer(), nullable=True))
        batch_op.create_check_constraint('page_count_positive', 'page_count > 0')


def downgrade():
    # The page counts go with their column.
    with op.batch_alter_table('books', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_books_page_count_positive'), type_='check')
        batch_op.drop_column('page_count')
