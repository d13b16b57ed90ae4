"""A history shared by many machines: one result per (run, target), the run's plan kept for resuming,
each result's report and diffoscope page (gzip) and the identity of the machine that made it.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("runs") as runs:
        runs.add_column(sa.Column("plan", sa.JSON))  # {"targets", "skipped", "problems"}: what resuming finishes
        runs.add_column(sa.Column("mode", sa.String(16), nullable=False, server_default="local"))  # local | celery
        runs.add_column(sa.Column("environment", sa.JSON))  # what the run expects of a worker (base rootfs sha256 per suite)
    with op.batch_alter_table("results") as results:
        results.add_column(sa.Column("host", sa.String(255)))
        results.add_column(sa.Column("environment", sa.JSON))  # base rootfs sha256, builder image, uv and Python versions
        results.add_column(sa.Column("report_gz", sa.LargeBinary))
        results.add_column(sa.Column("diffoscope_gz", sa.LargeBinary))
        results.create_unique_constraint("uq_results_run_target", ["run_id", "package", "version"])


def downgrade() -> None:
    with op.batch_alter_table("results") as results:
        results.drop_constraint("uq_results_run_target", type_="unique")
        for column in ("diffoscope_gz", "report_gz", "environment", "host"):
            results.drop_column(column)
    with op.batch_alter_table("runs") as runs:
        for column in ("environment", "mode", "plan"):
            runs.drop_column(column)
