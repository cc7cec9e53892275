"""bookings get next_token_hash: a resent manage link works next to the first (issue 13.4)

Revision ID: 0010
Revises: 0005
Create Date: 2026-12-07 12:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('next_token_hash', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_bookings_next_token_hash'), ['next_token_hash'])


def downgrade():
    # A resent link stops working; the first link of every booking still does.
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_bookings_next_token_hash'), type_='unique')
        batch_op.drop_column('next_token_hash')
