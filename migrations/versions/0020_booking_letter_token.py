"""bookings get letter_token_hash: the link on a letter the booker prints, the same on every reprint

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07 16:55:00

A letter printed from a social worker's list link carried a second manage link written on every GET (in
next_token_hash, so it also wiped a resent link); the letter now carries the booking's own letter token,
derived from the server secret, whose hash this column keeps (booking.services.letter_links).
"""
from alembic import op
import sqlalchemy as sa


revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('letter_token_hash', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_bookings_letter_token_hash'), ['letter_token_hash'])


def downgrade():
    # Printed letters' links stop working; every booking's manage link still does.
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_bookings_letter_token_hash'), type_='unique')
        batch_op.drop_column('letter_token_hash')
