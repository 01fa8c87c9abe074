"""Writing package files: CSV for people (BOM, formula-safe), JSON for the web, atomic folder swaps."""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import math
import os
import shutil
from pathlib import Path
from typing import Any, Callable

from ..errors import JuesuanError
from ..slug import is_safe

TMP_PREFIX = ".juesuan-tmp-"
OLD_PREFIX = ".juesuan-old-"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(text: str) -> str:
    """Prefix text that a spreadsheet would run as a formula (= + - @ TAB CR) with a quote."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def number_text(value: float | int) -> str:
    """A number as CSV text: integers without '.0', others in their shortest exact form."""
    if isinstance(value, bool):
        raise TypeError("booleans are not numbers here")
    if isinstance(value, int):
        return str(value)
    if not math.isfinite(value):
        raise ValueError(f"cannot publish non-finite number {value!r}")
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def csv_bytes(fields: list[dict[str, Any]], rows: list[dict[str, Any]]) -> bytes:
    """CSV, UTF-8 with BOM, '\\n' line endings; string cells formula-escaped, numbers as numbers."""
    names = [f["name"] for f in fields]
    types = {f["name"]: f["type"] for f in fields}
    lines = [_csv_line(names)]
    for row in rows:
        out = []
        for name in names:
            value = row.get(name)
            if value is None:
                out.append("")
            elif types[name] in ("number", "integer"):
                out.append(value if isinstance(value, str) else number_text(value))
            elif types[name] == "object":
                out.append(json.dumps(value, ensure_ascii=False, sort_keys=True))
            else:
                out.append(escape_formula(str(value)))
        lines.append(_csv_line(out))
    return ("\ufeff" + "".join(lines)).encode("utf-8")


def _csv_line(cells: list[str]) -> str:
    """One CSV record ending in '\n'; cells with a comma, quote, CR or LF are quoted (RFC 4180)."""
    out = []
    for cell in cells:
        if any(c in cell for c in ',"\r\n'):
            cell = '"' + cell.replace('"', '""') + '"'
        out.append(cell)
    return ",".join(out) + "\n"


def json_value(value: Any, ftype: str) -> Any:
    if value is None:
        return None
    if ftype in ("number", "integer") and isinstance(value, str):
        number = float(value.replace(",", ""))
        return int(number) if ftype == "integer" else number
    return value


def json_bytes(fields: list[dict[str, Any]], rows: list[dict[str, Any]]) -> bytes:
    """Array of row objects with the raw text (no escaping), one row per line for readable diffs."""
    names = [(f["name"], f["type"]) for f in fields]
    lines = [
        json.dumps({n: json_value(row.get(n), t) for n, t in names}, ensure_ascii=False, allow_nan=False)
        for row in rows
    ]
    body = "[\n" + ",\n".join(lines) + "\n]\n" if lines else "[]\n"
    return body.encode("utf-8")


def descriptor_bytes(descriptor: dict[str, Any]) -> bytes:
    return (json.dumps(descriptor, ensure_ascii=False, indent=2, allow_nan=False) + "\n").encode("utf-8")


def safe_child(parent: Path, name: str) -> Path:
    """parent/name, refusing anything that is not a plain slug (no separators, dots or '..')."""
    if not is_safe(name) and not (name.startswith((TMP_PREFIX, OLD_PREFIX)) and is_safe(name.split("-", 3)[-1])):
        raise JuesuanError(f"refusing unsafe package folder name {name!r}")
    child = parent / name
    if child.resolve().parent != parent.resolve():
        raise JuesuanError(f"refusing to write outside {parent}: {name!r}")
    return child


def _renameat2_exchange() -> Callable[[str, str], bool] | None:
    """Linux renameat2(RENAME_EXCHANGE): swap two folders in one step (None where unavailable)."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return None
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    at_fdcwd, exchange = -100, 2

    def swap(a: str, b: str) -> bool:
        return fn(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), exchange) == 0

    return swap


_EXCHANGE = _renameat2_exchange()


def write_package_dir(
    packages_dir: Path,
    name: str,
    files: dict[str, bytes],
    before_file: Callable[[str], None] | None = None,
) -> Path:
    """Write `files` as packages_dir/name/ so that readers only ever see the old or the new folder.

    Files go into a temporary folder next to the target, which then replaces the target in one
    rename (an exchange on Linux). A crash before that leaves the old folder untouched; the
    temporary folder is cleaned up by the next run. `before_file` is a test hook.
    """
    packages_dir.mkdir(parents=True, exist_ok=True)
    target = safe_child(packages_dir, name)
    tmp = safe_child(packages_dir, f"{TMP_PREFIX}{os.getpid()}-{name}")
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    try:
        for file_name, data in sorted(files.items()):
            if "/" in file_name or "\\" in file_name or file_name.startswith("."):
                raise JuesuanError(f"refusing unsafe file name {file_name!r}")
            if before_file:
                before_file(file_name)
            (tmp / file_name).write_bytes(data)
        _swap_in(tmp, target)
    except BaseException:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
        raise
    return target


def _swap_in(tmp: Path, target: Path) -> None:
    if not target.exists():
        os.rename(tmp, target)
        return
    if _EXCHANGE is not None and _EXCHANGE(str(tmp), str(target)):
        shutil.rmtree(tmp)  # now holds the previous version
        return
    # Fallback: two renames; recover_interrupted() puts the old folder back if we die in between.
    old = target.parent / f"{OLD_PREFIX}{os.getpid()}-{target.name}"
    os.rename(target, old)
    os.rename(tmp, target)
    shutil.rmtree(old)


def recover_interrupted(packages_dir: Path) -> None:
    """Undo what a killed run left: restore a moved-away package, drop temporary folders."""
    if not packages_dir.is_dir():
        return
    for entry in sorted(packages_dir.iterdir()):
        if not entry.is_dir():
            continue
        if entry.name.startswith(OLD_PREFIX):
            original = packages_dir / entry.name.split("-", 3)[-1]
            if not original.exists() and is_safe(original.name):
                os.rename(entry, original)
            else:
                shutil.rmtree(entry)
        elif entry.name.startswith(TMP_PREFIX):
            shutil.rmtree(entry)


def is_juesuan_package(folder: Path) -> bool:
    """True for a folder juesuan wrote (its datapackage.json has a `juesuan` object)."""
    try:
        descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(descriptor, dict) and isinstance(descriptor.get("juesuan"), dict)
