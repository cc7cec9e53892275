"""audit log and dossier list indexes for keyset pages: each ends in (occurred_at, id) / (created_at, id)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 13:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    # The single-column indexes are the first columns of the new ones, so they go.
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_events_object')
        batch_op.drop_index(batch_op.f('ix_audit_events_action'))
        batch_op.drop_index(batch_op.f('ix_audit_events_user_id'))
        batch_op.drop_index(batch_op.f('ix_audit_events_occurred_at'))
        batch_op.create_index('ix_audit_events_occurred_at_id', ['occurred_at', 'id'], unique=False)
        batch_op.create_index('ix_audit_events_action_occurred_at', ['action', 'occurred_at', 'id'], unique=False)
        batch_op.create_index('ix_audit_events_user_id_occurred_at', ['user_id', 'occurred_at', 'id'], unique=False)
        batch_op.create_index('ix_audit_events_object_occurred_at', ['object_type', 'object_id', 'occurred_at', 'id'],
                              unique=False)
    with op.batch_alter_table('dossiers', schema=None) as batch_op:
        batch_op.create_index('ix_dossiers_created_at_id', ['created_at', 'id'], unique=False)
        batch_op.create_index('ix_dossiers_moment_id_created_at', ['moment_id', 'created_at', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('dossiers', schema=None) as batch_op:
        batch_op.drop_index('ix_dossiers_moment_id_created_at')
        batch_op.drop_index('ix_dossiers_created_at_id')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_events_object_occurred_at')
        batch_op.drop_index('ix_audit_events_user_id_occurred_at')
        batch_op.drop_index('ix_audit_events_action_occurred_at')
        batch_op.drop_index('ix_audit_events_occurred_at_id')
        batch_op.create_index(batch_op.f('ix_audit_events_occurred_at'), ['occurred_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_events_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_events_action'), ['action'], unique=False)
        batch_op.create_index('ix_audit_events_object', ['object_type', 'object_id'], unique=False)
