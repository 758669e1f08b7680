"""The team status of a lead, its history, and status jobs in the outbox.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01

The outbox's unique key moves from (lead, destination) to (destination, idempotency key): a
lead now has one row per destination for itself and one per status change.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_LEAD_COLUMNS = (
    ("team_status", sa.String(16)),
    ("team_status_by_id", sa.String(128)),
    ("team_status_by_name", sa.Text()),
    ("team_status_at", sa.DateTime(timezone=True)),
    ("team_status_reason", sa.Text()),
)


def upgrade() -> None:
    """Add the team status columns, the history table and the outbox's job columns."""
    for name, kind in _LEAD_COLUMNS:
        op.add_column("leads", sa.Column(name, kind, nullable=True))
    op.create_table(
        "lead_status_changes",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("interaction_id", sa.String(128), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("previous_status", sa.String(16), nullable=True),
        sa.Column("staff_id", sa.String(128), nullable=False),
        sa.Column("staff_name", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_lead_status_changes"),
        sa.ForeignKeyConstraint(
            ["lead_id"],
            ["leads.id"],
            name="fk_lead_status_changes_lead_id_leads",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint(
            "lead_id", "interaction_id", name="uq_lead_status_changes_lead_id_interaction_id"
        ),
    )
    op.create_index("ix_lead_status_changes_lead_id", "lead_status_changes", ["lead_id"])
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("job", sa.String(16), nullable=False, server_default="lead"))
        batch.add_column(sa.Column("status_change_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_outbox_status_change_id_lead_status_changes",
            "lead_status_changes",
            ["status_change_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch.drop_constraint("uq_outbox_lead_id_destination", type_="unique")
        batch.create_unique_constraint(
            "uq_outbox_destination_idempotency_key", ["destination", "idempotency_key"]
        )


def downgrade() -> None:
    """Drop the status jobs, the history and the team status columns."""
    op.execute("DELETE FROM outbox WHERE job <> 'lead'")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_constraint("uq_outbox_destination_idempotency_key", type_="unique")
        batch.create_unique_constraint("uq_outbox_lead_id_destination", ["lead_id", "destination"])
        batch.drop_constraint("fk_outbox_status_change_id_lead_status_changes", type_="foreignkey")
        batch.drop_column("status_change_id")
        batch.drop_column("job")
    op.drop_index("ix_lead_status_changes_lead_id", table_name="lead_status_changes")
    op.drop_table("lead_status_changes")
    for name, _kind in reversed(_LEAD_COLUMNS):
        with op.batch_alter_table("leads") as batch:
            batch.drop_column(name)
