"""Alerts to the team about deliveries, and how long each destination has been failing.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02

An alert's unique key makes it happen once, however many workers see the same failure; the
outbox delivers it (``job = 'alert'``, ``alert_id``) so it is retried and never lost.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the alerts and destination health tables; outbox rows may carry an alert."""
    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(32), nullable=False),
        sa.Column("destination", sa.String(64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_alerts"),
        sa.ForeignKeyConstraint(
            ["lead_id"], ["leads.id"], name="fk_alerts_lead_id_leads", ondelete="CASCADE"
        ),
        sa.UniqueConstraint("key", name="uq_alerts_key"),
    )
    op.create_index("ix_alerts_lead_id", "alerts", ["lead_id"])
    op.create_table(
        "destination_health",
        sa.Column("destination", sa.String(64), nullable=False),
        sa.Column("failing_since", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("destination", name="pk_destination_health"),
    )
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("alert_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_outbox_alert_id_alerts", "alerts", ["alert_id"], ["id"], ondelete="CASCADE"
        )


def downgrade() -> None:
    """Drop the alert jobs, the alerts and the destination health."""
    op.execute("DELETE FROM outbox WHERE job = 'alert'")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_constraint("fk_outbox_alert_id_alerts", type_="foreignkey")
        batch.drop_column("alert_id")
    op.drop_table("destination_health")
    op.drop_index("ix_alerts_lead_id", table_name="alerts")
    op.drop_table("alerts")
