"""special orders: any book asked for by title, a hold's book optional until the desk attaches one

Revision ID: 4038f8d2d0c2
Revises: 1e7e41325a5b
Create Date: 2026-12-09 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4038f8d2d0c2'
down_revision = '1e7e41325a5b'
branch_labels = None
depends_on = None

# As firestorm/holds/models.py declares it (named ck_holds_<name> by the naming convention).
RULE_NAME = 'a_book_or_an_order_by_title'
RULE = "book_id IS NOT NULL OR (kind = 'order' AND asked_title <> '')"


class SpecialOrdersWithoutABook(RuntimeError):
    """Going down would leave holds with no book, which the older schema cannot keep."""


def upgrade():
    # Every hold so far has its book and asked for no title: '' for them all.
    with op.batch_alter_table('holds', schema=None) as batch_op:
        for name, length in (
            ('asked_title', 200), ('asked_author', 200), ('asked_isbn', 13), ('asked_format', 80)
        ):
            batch_op.add_column(
                sa.Column(name, sa.String(length=length), server_default='', nullable=False)
            )
        batch_op.alter_column('book_id', existing_type=sa.INTEGER(), nullable=True)
        batch_op.create_check_constraint(RULE_NAME, RULE)


def downgrade():
    ids = op.get_bind().execute(
        sa.text('SELECT id FROM holds WHERE book_id IS NULL ORDER BY id LIMIT 20')
    ).scalars().all()
    if ids:
        raise SpecialOrdersWithoutABook(
            'These special orders have no book yet, and the older schema needs one: attach '
            'each to a book at the holds desk (or delete them), then downgrade again. '
            f'Holds (the first 20): {", ".join(map(str, ids))}'
        )
    with op.batch_alter_table('holds', schema=None) as batch_op:
        batch_op.drop_constraint(op.f(f'ck_holds_{RULE_NAME}'), type_='check')
        batch_op.alter_column('book_id', existing_type=sa.INTEGER(), nullable=False)
        for name in ('asked_format', 'asked_isbn', 'asked_author', 'asked_title'):
            batch_op.drop_column(name)
