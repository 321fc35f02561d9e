"""every csv import recorded, with what undoing it needs

Revision ID: 87d28f493f2e
Revises: a33edc05f3cd
Create Date: 2026-12-05 09:07:48.403882

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '87d28f493f2e'
down_revision = 'a33edc05f3cd'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('csv_imports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('file_name', sa.String(length=100), nullable=False),
    sa.Column('imported_by_id', sa.Integer(), nullable=True),
    sa.Column('imported_at', sa.DateTime(), nullable=False),
    sa.Column('added', sa.Integer(), nullable=False),
    sa.Column('updated', sa.Integer(), nullable=False),
    sa.Column('unchanged', sa.Integer(), nullable=False),
    sa.Column('renames_left', sa.Integer(), nullable=False),
    sa.Column('refused', sa.Integer(), nullable=False),
    sa.Column('summary', sa.JSON(), nullable=False),
    sa.Column('added_shelf_ids', sa.JSON(), nullable=False),
    sa.Column('undone_at', sa.DateTime(), nullable=True),
    sa.Column('undone_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['imported_by_id'], ['users.id'], name=op.f('fk_csv_imports_imported_by_id_users')),
    sa.ForeignKeyConstraint(['undone_by_id'], ['users.id'], name=op.f('fk_csv_imports_undone_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_csv_imports'))
    )
    with op.batch_alter_table('csv_imports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_csv_imports_imported_at'), ['imported_at'], unique=False)

    op.create_table('csv_import_books',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('import_id', sa.Integer(), nullable=False),
    sa.Column('book_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('left_as', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['book_id'], ['books.id'], name=op.f('fk_csv_import_books_book_id_books'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['import_id'], ['csv_imports.id'], name=op.f('fk_csv_import_books_import_id_csv_imports'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_csv_import_books'))
    )
    with op.batch_alter_table('csv_import_books', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_csv_import_books_book_id'), ['book_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_csv_import_books_import_id'), ['import_id'], unique=False)



def downgrade():
    with op.batch_alter_table('csv_import_books', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_csv_import_books_import_id'))
        batch_op.drop_index(batch_op.f('ix_csv_import_books_book_id'))

    op.drop_table('csv_import_books')
    with op.batch_alter_table('csv_imports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_csv_imports_imported_at'))

    op.drop_table('csv_imports')
