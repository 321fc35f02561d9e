"""event sign-ups: places at one date of an event with a capacity, and its waiting list

Revision ID: e6f8a0b2c4d6
Revises: a8c0e2f4b6d8
Create Date: 2026-12-05 21:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e6f8a0b2c4d6'
down_revision = 'a8c0e2f4b6d8'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('event_sign_ups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('places', sa.Integer(), nullable=False),
    sa.Column('request_key', sa.String(length=64), nullable=False),
    sa.Column('private_link_hash', sa.String(length=64), nullable=False),
    sa.Column('customer_name', sa.String(length=80), nullable=False),
    sa.Column('customer_email', sa.String(length=254), nullable=False),
    sa.Column('customer_phone', sa.String(length=40), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('moved_up_at', sa.DateTime(), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(), nullable=True),
    sa.Column('erased_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("state IN ('signed up', 'waiting', 'cancelled')", name=op.f('ck_event_sign_ups_known_state')),
    sa.CheckConstraint('places >= 1', name=op.f('ck_event_sign_ups_at_least_one_place')),
    sa.CheckConstraint("(state = 'cancelled') = (cancelled_at IS NOT NULL)", name=op.f('ck_event_sign_ups_cancelled_at_matches_state')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_sign_ups_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_sign_ups')),
    sa.UniqueConstraint('private_link_hash', name=op.f('uq_event_sign_ups_private_link_hash')),
    sa.UniqueConstraint('request_key', name=op.f('uq_event_sign_ups_request_key'))
    )
    with op.batch_alter_table('event_sign_ups', schema=None) as batch_op:
        batch_op.create_index('ix_event_sign_ups_date_state', ['event_id', 'starts_at', 'state', 'created_at'], unique=False)
        batch_op.create_index('ix_event_sign_ups_starts_at', ['starts_at'], unique=False)


def downgrade():
    with op.batch_alter_table('event_sign_ups', schema=None) as batch_op:
        batch_op.drop_index('ix_event_sign_ups_starts_at')
        batch_op.drop_index('ix_event_sign_ups_date_state')
    op.drop_table('event_sign_ups')
