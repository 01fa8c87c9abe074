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
