"""landlord choices remember their last download; status fields belong to their status

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 10:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('landlord_choices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_downloaded_at', sa.DateTime(timezone=True), nullable=True))
    # Until now only the first download was kept: it is the best known last download, so a dossier
    # corrected after it shows as changed, and one never corrected does not.
    op.execute("UPDATE landlord_choices SET last_downloaded_at = first_downloaded_at")
    # Older status reports kept the fields of the status before them (a number after "incomplete",
    # a note after "registered"); exports and pages showed both. Each field now belongs to one status.
    op.execute(
        "UPDATE landlord_choices SET landlord_reference = NULL, registered_on = NULL WHERE status <> 'registered'"
    )
    op.execute(
        "UPDATE landlord_choices SET status_note = NULL WHERE status NOT IN ('incomplete', 'refused')"
    )


def downgrade():
    # The cleared stale status fields cannot come back; they contradicted the status anyway.
    with op.batch_alter_table('landlord_choices', schema=None) as batch_op:
        batch_op.drop_column('last_downloaded_at')
