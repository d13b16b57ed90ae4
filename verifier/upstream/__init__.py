"""Package indexes: PEP 691/503 client, artifact cache by hash,
build-requirement resolution as of a cut-off time and the wheelhouse built from it."""
