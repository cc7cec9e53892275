"""SMS beside e-mail: outbox channel, booking it is about, provider reference; reach-by choice, SMS opt-out and refusal on bookings; short links

Revision ID: 0016
Revises: 0014
Create Date: 2026-12-07 12:30:04.124029

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('short_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('sealed_token', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_short_links')),
    sa.UniqueConstraint('code_hash', name=op.f('uq_short_links_code_hash'))
    )
    with op.batch_alter_table('short_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_short_links_token_hash'), ['token_hash'], unique=False)

    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reach_by', sa.Enum('both', 'email', 'sms', name='reachby', native_enum=False, length=24), server_default='both', nullable=False))
        batch_op.add_column(sa.Column('sms_opted_out_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('sms_refused_at', sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('channel', sa.String(length=8), server_default='email', nullable=False))
        batch_op.add_column(sa.Column('booking_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('provider_ref', sa.String(length=64), nullable=True))
        batch_op.create_index('ix_outbox_messages_booking_id', ['booking_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_outbox_messages_booking_id_bookings'), 'bookings', ['booking_id'], ['id'], ondelete='SET NULL')



def downgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_outbox_messages_booking_id_bookings'), type_='foreignkey')
        batch_op.drop_index('ix_outbox_messages_booking_id')
        batch_op.drop_column('provider_ref')
        batch_op.drop_column('booking_id')
        batch_op.drop_column('channel')

    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.drop_column('sms_refused_at')
        batch_op.drop_column('sms_opted_out_at')
        batch_op.drop_column('reach_by')

    with op.batch_alter_table('short_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_short_links_token_hash'))

    op.drop_table('short_links')
