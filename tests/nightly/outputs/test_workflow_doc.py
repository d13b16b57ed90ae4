"""docs/nightly-github-actions.yml is a valid workflow that does what docs/nightly.md says."""

from __future__ import annotations

from pathlib import Path

WORKFLOW = Path(__file__).resolve().parents[3] / "docs" / "nightly-github-actions.yml"


def test_workflow_runs_nightly_and_fails_on_the_documented_codes() -> None:
    import yaml
    workflow = yaml.safe_load(WORKFLOW.read_text())
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert triggers["schedule"][0]["cron"] and "workflow_dispatch" in triggers
    steps = workflow["jobs"]["verify"]["steps"]
    text = "\n".join(str(step) for step in steps)
    assert "actions/checkout@" in text and "bash scripts/setup.sh" in text
    assert "actions/cache/restore@" in text and "actions/cache/save@" in text
    assert '.venv/bin/verifier nightly --config verifier.toml --db "sqlite:///$DB_FILE" --out site' in text
    assert workflow["env"]["DB_FILE"] == "verifier-history.sqlite"
    assert 'cat site/summary.md >> "$GITHUB_STEP_SUMMARY"' in text
    assert "actions/upload-artifact@" in text and "site/junit.xml" in text
    gate = steps[-1]["run"]
    for code in ("0)", "1)", "2)", "3)"):
        assert code in gate
    assert "exit 1" in gate and "exit 3" in gate
    assert workflow["jobs"]["pages"]["needs"] == "verify"
