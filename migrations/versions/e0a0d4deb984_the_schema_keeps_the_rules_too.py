"""the schema keeps the rules too: holds' dates and reason match their state, a published
review has its date and text, the stock log never below zero, an invitation expires after it
was made; indexes for the holds desk, a book's stock history and notices by review

Revision ID: e0a0d4deb984
Revises: 87d28f493f2e
Create Date: 2026-12-05 12:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e0a0d4deb984'
down_revision = '87d28f493f2e'
branch_labels = None
depends_on = None

# The rules as the models declare them (named ck_<table>_<name> by the naming convention),
# written out here so that a later change to a model does not rewrite this migration.
RULES = {
    'holds': {
        # Ready (and so collected or expired) holds have the day they were ready; a new one
        # has none. A cancelled hold may have been new or ready.
        'ready_at_matches_state': (
            "(state = 'new' AND ready_at IS NULL)"
            " OR (state IN ('ready', 'collected', 'expired') AND ready_at IS NOT NULL)"
            " OR state = 'cancelled'"
        ),
        'ended_at_matches_state': (
            "(state IN ('new', 'ready') AND ended_at IS NULL)"
            " OR (state IN ('collected', 'cancelled', 'expired') AND ended_at IS NOT NULL)"
        ),
        'cancel_reason_matches_state': (
            "(state = 'cancelled' AND cancel_reason <> '')"
            " OR (state <> 'cancelled' AND cancel_reason = '')"
        ),
    },
    'reviews': {
        'published_has_date_and_text': (
            "state <> 'published' OR (published_at IS NOT NULL AND published_body IS NOT NULL)"
        ),
    },
    'stock_changes': {
        'stock_after_not_negative': 'stock_after >= 0',
    },
    'invitations': {
        'expires_after_made': 'expires_at > created_at',
    },
}


class RowsBreakARule(RuntimeError):
    """Rows the app never writes are in the database: the upgrade stops before changing
    anything, and says which rows, so that someone decides what they should say."""


def refuse_rows_breaking_the_rules():
    connection = op.get_bind()
    broken = []
    for table, rules in RULES.items():
        for name, condition in rules.items():
            # NOT (condition) is true exactly where the CHECK would refuse the row (a NULL
            # passes both).
            ids = connection.execute(
                sa.text(f'SELECT id FROM {table} WHERE NOT ({condition}) ORDER BY id LIMIT 20')
            ).scalars().all()
            if ids:
                listed = ', '.join(map(str, ids))
                broken.append(f'{table} ck_{table}_{name} ({condition}): id {listed}')
    if broken:
        raise RowsBreakARule(
            'These rows break rules the app keeps, so the database cannot be made to keep '
            'them (the first 20 of each are listed). Correct them, then upgrade again:\n  '
            + '\n  '.join(broken)
        )


def upgrade():
    refuse_rows_breaking_the_rules()
    for table, rules in RULES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, condition in rules.items():
                batch_op.create_check_constraint(name, condition)

    # The desk's lists: the holds in a state, oldest first. The index on state alone was its
    # first column; this one serves every query that one did.
    with op.batch_alter_table('holds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_holds_state'))
        batch_op.create_index('ix_holds_state_created_at', ['state', 'created_at'], unique=False)

    # A book's stock history, newest first; the same for the index on book_id alone.
    with op.batch_alter_table('stock_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stock_changes_book_id'))
        batch_op.create_index(
            'ix_stock_changes_book_id_created_at', ['book_id', 'created_at'], unique=False
        )

    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notices_review_id'), ['review_id'], unique=False)


def downgrade():
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notices_review_id'))

    with op.batch_alter_table('stock_changes', schema=None) as batch_op:
        batch_op.drop_index('ix_stock_changes_book_id_created_at')
        batch_op.create_index(batch_op.f('ix_stock_changes_book_id'), ['book_id'], unique=False)

    with op.batch_alter_table('holds', schema=None) as batch_op:
        batch_op.drop_index('ix_holds_state_created_at')
        batch_op.create_index(batch_op.f('ix_holds_state'), ['state'], unique=False)

    for table, rules in reversed(RULES.items()):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name in rules:
                batch_op.drop_constraint(op.f(f'ck_{table}_{name}'), type_='check')
