"""documents get page_count: shown after upload (a PDF's pages; an image is one page)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 12:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    # Empty for documents uploaded before: the page shows their size instead.
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('page_count', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_column('page_count')
