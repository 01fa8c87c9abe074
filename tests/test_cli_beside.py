"""`juesuan build` validates in a process beside the site stage: its value, errors and crashes come back."""

from __future__ import annotations

import os

import pytest

from juesuan.cli import _Beside
from juesuan.errors import JuesuanError


def _value(a, b=0):
    return {"sum": a + b, "pid": os.getpid()}


def _fails():
    raise JuesuanError("no data packages in /nowhere/: run `juesuan package` first")


def _crashes():
    raise ZeroDivisionError("division by zero")


def _dies():
    os._exit(3)


def test_value_and_seconds_come_back_from_another_process():
    value, seconds = _Beside(_value, 2, b=3).result()
    assert value["sum"] == 5 and value["pid"] != os.getpid()
    assert seconds >= 0


def test_a_juesuan_error_keeps_its_message():
    with pytest.raises(JuesuanError, match=r"no data packages in /nowhere/"):
        _Beside(_fails).result()


def test_another_exception_is_named():
    with pytest.raises(JuesuanError, match=r"ZeroDivisionError: division by zero"):
        _Beside(_crashes).result()


def test_a_process_that_dies_is_reported_with_its_exit_code():
    with pytest.raises(JuesuanError, match=r"exit 3"):
        _Beside(_dies).result()


@pytest.mark.parametrize("up_to, beside", [(0, False), (8, True)])
def test_build_makes_the_site_whether_validation_runs_first_or_beside(tmp_path, monkeypatch, up_to, beside):
    """The five sample reports are six changed packages: validated first above the threshold, beside below it;
    either way the site is built and the validation's result printed."""
    from pathlib import Path

    from click.testing import CliRunner

    import juesuan.cli as cli_mod

    monkeypatch.setattr(cli_mod, "BESIDE_UP_TO", up_to)
    reports = Path(__file__).parent.parent / "reports"
    args = ["build", "--reports", str(reports), "--packages", str(tmp_path / "pk"), "--site-dir", str(tmp_path / "site"),
            "--cache-dir", str(tmp_path / "cache"), "--timings", str(tmp_path / "t.json")]
    result = CliRunner().invoke(cli_mod.cli, args)
    assert result.exit_code == 0, result.output
    assert ("beside the site" in result.output) is beside
    assert "[4/4] site" in result.output and (tmp_path / "site" / "index.html").is_file()
    assert "packages: valid" in result.output
    import json

    timings = json.loads((tmp_path / "t.json").read_text(encoding="utf-8"))
    assert {"validate", "site"} <= set(timings) and ("validate_after_site" in timings) is beside


def test_a_second_build_finds_every_package_unchanged(tmp_path):
    """Nothing the first build did (the site's downloads, hard links to package files, included)
    makes the packages look edited: the second build rewrites, validates and renders none of them."""
    from pathlib import Path

    from click.testing import CliRunner

    import juesuan.cli as cli_mod

    reports = Path(__file__).parent.parent / "reports"
    args = ["build", "--reports", str(reports), "--packages", str(tmp_path / "pk"), "--site-dir", str(tmp_path / "site"),
            "--cache-dir", str(tmp_path / "cache")]
    first = CliRunner().invoke(cli_mod.cli, args)
    assert first.exit_code == 0, first.output
    assert "(0 packages changed" not in first.output
    stats = {p: p.stat() for p in sorted((tmp_path / "pk").rglob("*")) if p.is_file()}
    second = CliRunner().invoke(cli_mod.cli, args)
    assert second.exit_code == 0, second.output
    assert "(0 packages changed" in second.output and "site: 19 generated pages (0 packages changed" in second.output
    # not rewritten (the site's downloads are hard links to these files, which changes only their ctime)
    assert {p: (st.st_ino, st.st_mtime_ns) for p, st in stats.items()} == \
        {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in stats}
    assert any(p.stat().st_nlink == 2 for p in stats)
