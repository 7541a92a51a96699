"""The job table: background jobs (kdk.export.jobs), which server claimed each, and their progress.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("job",
    sa.Column("navn", sa.String(length=200), nullable=False),
    sa.Column("tilstand", sa.String(length=20), nullable=False),
    sa.Column("andel", sa.Float(), nullable=False),
    sa.Column("tekst", sa.Text(), nullable=False),
    sa.Column("filer", sa.Text(), nullable=False),
    sa.Column("taget_af", sa.String(length=300), nullable=False),
    sa.Column("startet", sa.DateTime(), nullable=False),
    sa.Column("hjerteslag", sa.DateTime(), nullable=False),
    sa.Column("afsluttet", sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint("navn")
    )


def downgrade() -> None:
    op.drop_table("job")
