"""The history: runs and their results.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("config_path", sa.Text, nullable=False),
        sa.Column("config_sha256", sa.String(64), nullable=False),
        sa.Column("tool_version", sa.String(32), nullable=False),
        sa.Column("host", sa.String(255), nullable=False),
        sa.Column("targets", sa.Integer, nullable=False, server_default="0"),
    )
    op.create_table(
        "results",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
        sa.Column("package", sa.String(255), nullable=False),
        sa.Column("version", sa.String(128), nullable=False),
        sa.Column("verdict", sa.String(32), nullable=False),
        sa.Column("regressed", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("tag", sa.String(255)),
        sa.Column("commit", sa.String(64)),
        sa.Column("published_url", sa.Text),
        sa.Column("published_sha256", sa.String(64)),
        sa.Column("upload_time", sa.String(64)),
        sa.Column("rebuilt_sha256", sa.String(64)),
        sa.Column("builder", sa.String(64)),
        sa.Column("builder_image", sa.String(128)),
        sa.Column("base_image", sa.String(255)),
        sa.Column("build_requirements", sa.JSON),
        sa.Column("normalizations", sa.JSON),
        sa.Column("differences", sa.JSON),
        sa.Column("explanations", sa.JSON),
        sa.Column("timings", sa.JSON),
        sa.Column("error", sa.Text),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("duration_s", sa.Float, nullable=False),
        sa.Column("report_path", sa.Text),
        sa.Column("log_path", sa.Text),
        sa.Column("diffoscope_html", sa.Text),
        sa.Column("command", sa.Text),
    )
    op.create_index("ix_results_run_id", "results", ["run_id"])
    op.create_index("ix_results_package_version", "results", ["package", "version"])


def downgrade() -> None:
    op.drop_index("ix_results_package_version", "results")
    op.drop_index("ix_results_run_id", "results")
    op.drop_table("results")
    op.drop_table("runs")
