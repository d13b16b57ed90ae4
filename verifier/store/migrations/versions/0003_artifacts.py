"""Every file of a verified release: the sdist and each wheel, with its own verdict (issue 16).

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("results") as results:
        # [{filename, kind, verdict, sha256, rebuilt_sha256, built_from, not_verified, differences, regressed}];
        # null in results stored before wheels were verified
        results.add_column(sa.Column("artifacts", sa.JSON))


def downgrade() -> None:
    with op.batch_alter_table("results") as results:
        results.drop_column("artifacts")
