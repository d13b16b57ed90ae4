"""Alembic environment: migrations run on the connection the store hands over."""

from alembic import context

from verifier.store.models import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only used through verifier.store.db
    raise RuntimeError("verifier's migrations run through verifier.store.db.open_store")
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
