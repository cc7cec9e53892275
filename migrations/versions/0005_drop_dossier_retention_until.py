"""dossiers lose retention_until: the purge computes the deadline from the moment and the settings

Revision ID: 0005
Revises: 0003
Create Date: 2026-12-07 05:41:54.004761

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    # Only the demo ever wrote it and nothing read it; the purge's deadline depends on the settings and
    # on the landlords' downloads, so a stored copy would only go stale.
    with op.batch_alter_table('dossiers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dossiers_retention_until'))
        batch_op.drop_column('retention_until')


def downgrade():
    # The column comes back empty, as it was for every dossier the app itself made.
    with op.batch_alter_table('dossiers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('retention_until', sa.Date(), nullable=True))
        batch_op.create_index(batch_op.f('ix_dossiers_retention_until'), ['retention_until'], unique=False)
