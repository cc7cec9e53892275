"""outbox messages may be queued as a template, rendered when sent

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 07:18:55.257155

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('template', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('context', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('language', sa.String(length=8), nullable=True))
        batch_op.alter_column('body_text',
               existing_type=sa.TEXT(),
               nullable=True)
        batch_op.create_check_constraint(
            op.f('ck_outbox_messages_body_or_template'), 'body_text IS NOT NULL OR template IS NOT NULL')


def downgrade():
    # Messages still waiting to be rendered cannot go back: an empty body would be sent.
    op.execute("DELETE FROM outbox_messages WHERE body_text IS NULL")
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_outbox_messages_body_or_template'), type_='check')
        batch_op.alter_column('body_text',
               existing_type=sa.TEXT(),
               nullable=False)
        batch_op.drop_column('language')
        batch_op.drop_column('context')
        batch_op.drop_column('template')
