"""`verifier worker` and the distributed `nightly` options, bad input: one line, the documented code,
nothing stored."""

from pathlib import Path

from tests.support.services import free_port


def test_worker_with_a_wrong_url_exits_2(cli, tmp_path: Path) -> None:
    result = cli("worker", "--broker", "http://127.0.0.1:5672", "--db", f"sqlite:///{tmp_path / 'h.sqlite'}", "--work-dir", tmp_path / "w")
    assert result.code == 2 and result.stderr.count("\n") == 1 and "not a broker URL" in result.stderr
    assert not (tmp_path / "h.sqlite").exists()


def test_worker_with_an_unreachable_broker_exits_3_before_touching_the_store(cli, tmp_path: Path) -> None:
    result = cli("worker", "--broker", f"redis://127.0.0.1:{free_port()}/0", "--db", f"sqlite:///{tmp_path / 'h.sqlite'}")
    assert result.code == 3 and result.stderr.startswith("error: cannot reach the broker") and result.stderr.count("\n") == 1
    assert not (tmp_path / "h.sqlite").exists()


def test_nightly_with_an_unreachable_broker_stores_nothing(cli, tmp_path: Path) -> None:
    config = tmp_path / "verifier.toml"
    config.write_text('[[packages]]\nname = "a"\nrepo = "."\n')
    result = cli("nightly", "--config", config, "--db", f"sqlite:///{tmp_path / 'h.sqlite'}", "--broker", f"redis://127.0.0.1:{free_port()}/0")
    assert result.code == 3 and "cannot reach the broker" in result.stderr
    assert not (tmp_path / "h.sqlite").exists()


def test_nightly_options_that_do_not_fit(cli, tmp_path: Path) -> None:
    assert cli("nightly", "--no-wait", "--config", tmp_path / "c.toml").code == 2
    assert cli("nightly", "--out", tmp_path / "site").code == 2  # neither --config nor --report
    result = cli("nightly", "--report", "--db", f"sqlite:///{tmp_path / 'h.sqlite'}", "--out", tmp_path / "site")
    assert result.code == 2 and "no history at" in result.stderr and not (tmp_path / "h.sqlite").exists()


def test_an_unreachable_database_exits_3_in_one_line(cli, tmp_path: Path) -> None:
    result = cli("nightly", "--report", "--db", f"postgresql+psycopg://verifier@127.0.0.1:{free_port()}/history", "--out", tmp_path / "site")
    assert result.code == 3 and result.stderr.startswith("error: cannot open the history database") and result.stderr.count("\n") == 1
    assert not (tmp_path / "site").exists()
