"""event_books: the books an event is about, linked from its page and theirs

Revision ID: a8c0e2f4b6d8
Revises: e1f3a5c7b9d2
Create Date: 2026-12-05 21:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a8c0e2f4b6d8'
down_revision = 'e1f3a5c7b9d2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('event_books',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('book_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_books_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['book_id'], ['books.id'], name=op.f('fk_event_books_book_id_books'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', 'book_id', name=op.f('pk_event_books'))
    )
    with op.batch_alter_table('event_books', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_books_book_id'), ['book_id'], unique=False)


def downgrade():
    with op.batch_alter_table('event_books', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_books_book_id'))
    op.drop_table('event_books')
