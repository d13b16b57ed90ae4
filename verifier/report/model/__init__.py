"""The typed report model: what every command reports, as frozen dataclasses.

Every output format (text, JSON, Markdown, JUnit, HTML, in-toto) reads these types; JSON is made in
one place (`verifier.report.model.serialize`).
"""

from verifier.report.model.verdict import Verdict

__all__ = ["Verdict"]
