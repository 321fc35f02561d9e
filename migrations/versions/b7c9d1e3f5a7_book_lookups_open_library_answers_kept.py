"""book lookups: Open Library's answers about an ISBN, kept while fresh

Revision ID: b7c9d1e3f5a7
Revises: e83c2a15aa3a
Create Date: 2026-12-05 18:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7c9d1e3f5a7'
down_revision = 'e83c2a15aa3a'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('book_lookups',
    sa.Column('isbn13', sa.String(length=13), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.Column('facts', sa.Text(), nullable=False),
    sa.Column('cover', sa.LargeBinary(), nullable=True),
    sa.Column('cover_thumbnail', sa.LargeBinary(), nullable=True),
    sa.Column('looked_up_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("outcome IN ('found', 'not found')", name=op.f('ck_book_lookups_outcome_known')),
    sa.PrimaryKeyConstraint('isbn13', name=op.f('pk_book_lookups'))
    )


def downgrade():
    # Only answers kept from Open Library: the next lookup asks again.
    op.drop_table('book_lookups')
