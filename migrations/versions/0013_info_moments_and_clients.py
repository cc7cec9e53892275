"""info moments and bookings on behalf of a client: seats per booking, organisation, topics; contact channel

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 12:45:00

- bookings.seats: the seats a booking holds (1 for a candidate; the attendees of an info-moment registration);
- bookings.organisation: the professional's organisation (info moments);
- bookings.contact_channel, social_worker_email, client_birth_year, client_key: a client without phone or
  e-mail is reached through the worker who booked; one live booking per client per moment is the unique
  index uq_bookings_live_client, and the phone/e-mail indexes compare only the candidate's own contact;
- registration_moments.topics: an info moment's topic per language.
"""
from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

LIVE = "status IN ('booked', 'checked_in')"
LIVE_OWN = "status IN ('booked', 'checked_in') AND contact_channel = 'own'"
LIVE_CLIENT = "status IN ('booked', 'checked_in') AND client_key IS NOT NULL"


def _where(sql):
    return {"sqlite_where": sa.text(sql), "postgresql_where": sa.text(sql)}


def upgrade():
    with op.batch_alter_table('registration_moments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('topics', sa.JSON(), nullable=True))

    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('social_worker_email', sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column(
            'contact_channel', sa.Enum('own', 'booker', name='contactchannel', native_enum=False, length=24),
            server_default='own', nullable=False))
        batch_op.add_column(sa.Column('client_birth_year', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('client_key', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('seats', sa.Integer(), server_default='1', nullable=False))
        batch_op.add_column(sa.Column('organisation', sa.String(length=120), nullable=True))
        batch_op.create_check_constraint(op.f('ck_bookings_seats_range'), 'seats BETWEEN 1 AND 50')
        batch_op.drop_index('uq_bookings_live_phone', **_where(LIVE))
        batch_op.drop_index('uq_bookings_live_email', **_where(LIVE))
        batch_op.create_index('uq_bookings_live_phone', ['moment_id', 'phone'], unique=True, **_where(LIVE_OWN))
        batch_op.create_index('uq_bookings_live_email', ['moment_id', 'email'], unique=True, **_where(LIVE_OWN))
        batch_op.create_index('uq_bookings_live_client', ['moment_id', 'client_key'], unique=True,
                              **_where(LIVE_CLIENT))
        batch_op.create_index('ix_bookings_social_worker_email', ['social_worker_email'], unique=False)


def downgrade():
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.drop_index('ix_bookings_social_worker_email')
        batch_op.drop_index('uq_bookings_live_client', **_where(LIVE_CLIENT))
        batch_op.drop_index('uq_bookings_live_email', **_where(LIVE_OWN))
        batch_op.drop_index('uq_bookings_live_phone', **_where(LIVE_OWN))
        batch_op.create_index('uq_bookings_live_phone', ['moment_id', 'phone'], unique=True, **_where(LIVE))
        batch_op.create_index('uq_bookings_live_email', ['moment_id', 'email'], unique=True, **_where(LIVE))
        batch_op.drop_constraint(op.f('ck_bookings_seats_range'), type_='check')
        batch_op.drop_column('organisation')
        batch_op.drop_column('seats')
        batch_op.drop_column('client_key')
        batch_op.drop_column('client_birth_year')
        batch_op.drop_column('contact_channel')
        batch_op.drop_column('social_worker_email')

    with op.batch_alter_table('registration_moments', schema=None) as batch_op:
        batch_op.drop_column('topics')
