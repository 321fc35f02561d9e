"""closures and changed hours are one thing by one name: the closures table is special_hours

Revision ID: 8e31caa82b6b
Revises: 87d28f493f2e
Create Date: 2026-12-05 13:40:00

A new table with the naming convention's names for its constraints and index, the rows copied
with their ids (so no address of a change-of-hours page changes), then the old table dropped:
the same steps on SQLite and PostgreSQL.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8e31caa82b6b'
down_revision = '87d28f493f2e'
branch_labels = None
depends_on = None

COLUMNS = "id, first_day, last_day, reason, opens, closes"


def upgrade():
    _create('special_hours')
    _copy('closures', 'special_hours')
    _drop('closures')


def downgrade():
    _create('closures')
    _copy('special_hours', 'closures')
    _drop('special_hours')


def _create(table):
    op.create_table(table,
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('first_day', sa.Date(), nullable=False),
    sa.Column('last_day', sa.Date(), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('opens', sa.Time(), nullable=True),
    sa.Column('closes', sa.Time(), nullable=True),
    sa.CheckConstraint('last_day >= first_day', name=op.f(f'ck_{table}_days_in_order')),
    sa.CheckConstraint('(opens IS NULL AND closes IS NULL) OR (opens < closes)', name=op.f(f'ck_{table}_opens_before_closes')),
    sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{table}'))
    )
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f'ix_{table}_last_day'), ['last_day'], unique=False)


def _copy(source, target):
    op.execute(f"INSERT INTO {target} ({COLUMNS}) SELECT {COLUMNS} FROM {source}")
    if op.get_bind().dialect.name == "postgresql":
        # The copied ids came with the rows: the next one follows the largest.
        op.execute(
            f"SELECT setval(pg_get_serial_sequence('{target}', 'id'), COALESCE(MAX(id), 1), "
            f"MAX(id) IS NOT NULL) FROM {target}"
        )


def _drop(table):
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.drop_index(batch_op.f(f'ix_{table}_last_day'))
    op.drop_table(table)
