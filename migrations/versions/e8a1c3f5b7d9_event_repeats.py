"""events: a repeat (weekly, or monthly on a weekday) until a day, and single dates of a
series cancelled or moved

Revision ID: e8a1c3f5b7d9
Revises: e6f8a0b2c4d6
Create Date: 2026-12-05 21:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e8a1c3f5b7d9'
down_revision = 'e6f8a0b2c4d6'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('repeat', sa.String(length=20), server_default='', nullable=False))
        batch_op.add_column(sa.Column('repeat_until', sa.Date(), nullable=True))
    op.create_table('event_changed_dates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('series_starts_at', sa.DateTime(), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=True),
    sa.Column('ends_at', sa.DateTime(), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint('(starts_at IS NULL) = (ends_at IS NULL)', name=op.f('ck_event_changed_dates_moved_start_and_end')),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_event_changed_dates_moved_end_after_start')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_changed_dates_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_changed_dates')),
    sa.UniqueConstraint('event_id', 'series_starts_at', name=op.f('uq_event_changed_dates_event_id_series_starts_at'))
    )


def downgrade():
    op.drop_table('event_changed_dates')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('repeat_until')
        batch_op.drop_column('repeat')
