"""shelves, hidden books, cover sizes

Revision ID: 854508e1eb7c
Revises: 936246633b67
Create Date: 2026-11-29 19:12:53.821144

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '854508e1eb7c'
down_revision = '936246633b67'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('shelves',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shelves')),
    sa.UniqueConstraint('name', name=op.f('uq_shelves_name')),
    sa.UniqueConstraint('slug', name=op.f('uq_shelves_slug'))
    )
    op.create_table('book_shelves',
    sa.Column('book_id', sa.Integer(), nullable=False),
    sa.Column('shelf_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['book_id'], ['books.id'], name=op.f('fk_book_shelves_book_id_books'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['shelf_id'], ['shelves.id'], name=op.f('fk_book_shelves_shelf_id_shelves'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('book_id', 'shelf_id', name=op.f('pk_book_shelves'))
    )
    with op.batch_alter_table('book_shelves', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_book_shelves_shelf_id'), ['shelf_id'], unique=False)

    op.create_table('old_shelf_slugs',
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('shelf_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['shelf_id'], ['shelves.id'], name=op.f('fk_old_shelf_slugs_shelf_id_shelves'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('slug', name=op.f('pk_old_shelf_slugs'))
    )
    with op.batch_alter_table('old_shelf_slugs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_old_shelf_slugs_shelf_id'), ['shelf_id'], unique=False)

    with op.batch_alter_table('books', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cover_width', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('cover_height', sa.Integer(), nullable=True))
        # Every book there is stays visible.
        batch_op.add_column(sa.Column('hidden', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.create_index(batch_op.f('ix_books_hidden'), ['hidden'], unique=False)



def downgrade():
    with op.batch_alter_table('books', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_books_hidden'))
        batch_op.drop_column('hidden')
        batch_op.drop_column('cover_height')
        batch_op.drop_column('cover_width')

    with op.batch_alter_table('old_shelf_slugs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_old_shelf_slugs_shelf_id'))

    op.drop_table('old_shelf_slugs')
    with op.batch_alter_table('book_shelves', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_book_shelves_shelf_id'))

    op.drop_table('book_shelves')
    op.drop_table('shelves')
