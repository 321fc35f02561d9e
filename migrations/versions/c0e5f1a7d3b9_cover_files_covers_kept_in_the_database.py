"""cover_files: covers kept in the database, for COVER_STORAGE = "database"

Revision ID: c0e5f1a7d3b9
Revises: 1a7c3e9d2b40
Create Date: 2026-12-08 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c0e5f1a7d3b9'
down_revision = '1a7c3e9d2b40'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('cover_files',
    sa.Column('name', sa.String(length=48), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_cover_files'))
    )


def downgrade():
    # The covers kept here go with the table: with COVER_STORAGE "database", copy them out first.
    op.drop_table('cover_files')
