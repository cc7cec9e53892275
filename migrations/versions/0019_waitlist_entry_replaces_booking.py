"""the booking a waiting-list entry replaces, and the client it waits for

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 16:10:00

- waitlist_entries.replaces_booking_id: the booking new opening hours unseated; claiming the offer books
  it again as it was made (on behalf of a client: booker, channel, client identity and languages);
- waitlist_entries.client_key: a client reached through their booker waits as that client, not as the
  booker's contact (two clients of one worker both wait).
"""
from alembic import op
import sqlalchemy as sa


revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('waitlist_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('replaces_booking_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('client_key', sa.String(length=64), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_waitlist_entries_replaces_booking_id_bookings'), 'bookings',
                                    ['replaces_booking_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('waitlist_entries', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_waitlist_entries_replaces_booking_id_bookings'), type_='foreignkey')
        batch_op.drop_column('client_key')
        batch_op.drop_column('replaces_booking_id')
