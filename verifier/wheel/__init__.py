"""Wheels: which ones can be verified, what they say about how they were built, and how they relate
to the sdist they were built from (RECORD consistency, module copies, generator versions)."""
