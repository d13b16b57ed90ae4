"""Helpers for tests and the demo, not used by the verifier itself: a local PEP 691/503 index server
(`index_server`, also ``python -m verifier.testing.index_server DIR``)."""
