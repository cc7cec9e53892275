"""the booker's language on a booking; organisation and seats on a waiting-list entry

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 15:30:00

- bookings.booker_language: the language of the pages a social worker (or volunteer) booked a client in;
  a client reached through the booker's contact is written to in it (Booking.message_language);
- waitlist_entries.organisation and seats: a professional waiting for an info moment keeps their
  organisation, and an offer holds a seat per attendee.
"""
from alembic import op
import sqlalchemy as sa


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('booker_language', sa.String(length=8), nullable=True))

    with op.batch_alter_table('waitlist_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('organisation', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('seats', sa.Integer(), server_default='1', nullable=False))
        batch_op.create_check_constraint(op.f('ck_waitlist_entries_seats_range'), 'seats BETWEEN 1 AND 50')


def downgrade():
    with op.batch_alter_table('waitlist_entries', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_waitlist_entries_seats_range'), type_='check')
        batch_op.drop_column('seats')
        batch_op.drop_column('organisation')

    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.drop_column('booker_language')
