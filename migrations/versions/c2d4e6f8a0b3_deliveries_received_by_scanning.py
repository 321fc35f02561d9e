"""deliveries: received at the desk by scanning, a line per ISBN; special orders by ISBN

Revision ID: c2d4e6f8a0b3
Revises: b7c9d1e3f5a7
Create Date: 2026-12-05 19:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c2d4e6f8a0b3'
down_revision = 'b7c9d1e3f5a7'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('deliveries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['member_id'], ['users.id'], name=op.f('fk_deliveries_member_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deliveries'))
    )
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.create_index(
            'ix_deliveries_one_open_per_member', ['member_id'], unique=True,
            sqlite_where=sa.text('finished_at IS NULL'),
            postgresql_where=sa.text('finished_at IS NULL'),
        )
    op.create_table('delivery_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('delivery_id', sa.Integer(), nullable=False),
    sa.Column('isbn13', sa.String(length=13), nullable=False),
    sa.Column('book_id', sa.Integer(), nullable=True),
    sa.Column('copies', sa.Integer(), nullable=False),
    sa.Column('added_book', sa.Boolean(), nullable=False),
    sa.Column('last_scanned_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('copies > 0', name=op.f('ck_delivery_lines_copies_positive')),
    sa.ForeignKeyConstraint(['book_id'], ['books.id'], name=op.f('fk_delivery_lines_book_id_books'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['delivery_id'], ['deliveries.id'], name=op.f('fk_delivery_lines_delivery_id_deliveries'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery_lines')),
    sa.UniqueConstraint('delivery_id', 'isbn13', name=op.f('uq_delivery_lines_delivery_id_isbn13'))
    )
    with op.batch_alter_table('delivery_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delivery_lines_delivery_id'), ['delivery_id'], unique=False)
    with op.batch_alter_table('holds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_holds_asked_isbn'), ['asked_isbn'], unique=False)


def downgrade():
    with op.batch_alter_table('holds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_holds_asked_isbn'))
    with op.batch_alter_table('delivery_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delivery_lines_delivery_id'))
    op.drop_table('delivery_lines')
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.drop_index('ix_deliveries_one_open_per_member')
    op.drop_table('deliveries')
