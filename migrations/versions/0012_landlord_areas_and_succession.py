"""landlords today: areas by deelgemeente (sub_municipalities), preferences by deelgemeente, succession

Revision ID: 0012
Revises: 0010
Create Date: 2026-12-07 12:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'sub_municipalities',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('municipality_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=80), nullable=False),
        sa.Column('postcode', sa.String(length=4), nullable=True),
        sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'],
                                name=op.f('fk_sub_municipalities_municipality_id_municipalities'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sub_municipalities')),
        sa.UniqueConstraint('municipality_id', 'name', name=op.f('uq_sub_municipalities_municipality_id_name')),
    )
    with op.batch_alter_table('sub_municipalities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sub_municipalities_municipality_id'), ['municipality_id'], unique=False)

    op.create_table(
        'landlord_sub_municipalities',
        sa.Column('landlord_id', sa.Integer(), nullable=False),
        sa.Column('sub_municipality_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['landlord_id'], ['landlords.id'],
                                name=op.f('fk_landlord_sub_municipalities_landlord_id_landlords'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['sub_municipality_id'], ['sub_municipalities.id'],
                                name=op.f('fk_landlord_sub_municipalities_sub_municipality_id_sub_municipalities'),
                                ondelete='RESTRICT'),
        sa.PrimaryKeyConstraint('landlord_id', 'sub_municipality_id', name=op.f('pk_landlord_sub_municipalities')),
    )
    with op.batch_alter_table('landlord_sub_municipalities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_landlord_sub_municipalities_sub_municipality_id'),
                              ['sub_municipality_id'], unique=False)

    op.create_table(
        'preference_sub_municipalities',
        sa.Column('preferences_id', sa.Integer(), nullable=False),
        sa.Column('sub_municipality_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['preferences_id'], ['preferences.id'],
                                name=op.f('fk_preference_sub_municipalities_preferences_id_preferences'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['sub_municipality_id'], ['sub_municipalities.id'],
                                name=op.f('fk_preference_sub_municipalities_sub_municipality_id_sub_municipalities'),
                                ondelete='RESTRICT'),
        sa.PrimaryKeyConstraint('preferences_id', 'sub_municipality_id',
                                name=op.f('pk_preference_sub_municipalities')),
    )
    with op.batch_alter_table('preference_sub_municipalities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_preference_sub_municipalities_sub_municipality_id'),
                              ['sub_municipality_id'], unique=False)

    # Existing landlords have no successor and keep their history to themselves.
    with op.batch_alter_table('landlords', schema=None) as batch_op:
        batch_op.add_column(sa.Column('successor_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('successor_reads_history', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.create_index(batch_op.f('ix_landlords_successor_id'), ['successor_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_landlords_successor_id_landlords'), 'landlords',
                                    ['successor_id'], ['id'], ondelete='SET NULL')
        batch_op.create_check_constraint('not_own_successor', 'successor_id IS NULL OR successor_id <> id')
    with op.batch_alter_table('landlords', schema=None) as batch_op:
        batch_op.alter_column('successor_reads_history', server_default=None)


def downgrade():
    with op.batch_alter_table('landlords', schema=None) as batch_op:
        batch_op.drop_constraint('not_own_successor', type_='check')
        batch_op.drop_constraint(batch_op.f('fk_landlords_successor_id_landlords'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_landlords_successor_id'))
        batch_op.drop_column('successor_reads_history')
        batch_op.drop_column('successor_id')
    with op.batch_alter_table('preference_sub_municipalities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_preference_sub_municipalities_sub_municipality_id'))
    op.drop_table('preference_sub_municipalities')
    with op.batch_alter_table('landlord_sub_municipalities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_landlord_sub_municipalities_sub_municipality_id'))
    op.drop_table('landlord_sub_municipalities')
    with op.batch_alter_table('sub_municipalities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sub_municipalities_municipality_id'))
    op.drop_table('sub_municipalities')
