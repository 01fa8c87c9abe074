"""Writing package files: CSV for people (BOM, formula-safe), JSON for the web, atomic folder swaps."""

from __future__ import annotations

import csv
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

# One encoder for every JSON value and row: json.dumps with options builds a new encoder per call.
_JSON = json.JSONEncoder(ensure_ascii=False, allow_nan=False)
_OBJECT_CELL = json.JSONEncoder(ensure_ascii=False, sort_keys=True)


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


def _number_cell(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else number_text(value)


def _object_cell(value: Any) -> str:
    return "" if value is None else _OBJECT_CELL.encode(value)


def _text_cell(value: Any) -> str:
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def cell_writers(fields: list[dict[str, Any]]) -> list[Callable[[Any], str]]:
    """For each field, the function turning a row value into its CSV text."""
    kinds = {"number": _number_cell, "integer": _number_cell, "object": _object_cell}
    return [kinds.get(f["type"], _text_cell) for f in fields]


class _Lines(list):
    """File-like sink collecting what csv.writer writes: one string per record."""

    write = list.append


def csv_records(cells: list[list[str]]) -> list[str]:
    """CSV records ending in '\\n'; cells with a comma, quote, CR or LF are quoted (RFC 4180)."""
    if cells and len(cells[0]) == 1:  # csv.writer writes a lone empty cell as "", we write nothing
        return [_csv_line(row) for row in cells]
    # with '\r\n' as terminator csv.writer quotes cells holding CR as well as LF; we end records in '\n'
    lines = _Lines()
    csv.writer(lines, lineterminator="\r\n").writerows(cells)
    return [line[:-2] + "\n" for line in lines]


def _csv_line(cells: list[str]) -> str:
    out = []
    for cell in cells:
        if "," in cell or '"' in cell or "\r" in cell or "\n" in cell:
            cell = '"' + cell.replace('"', '""') + '"'
        out.append(cell)
    return ",".join(out) + "\n"


def _no_default(value: Any) -> Any:
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


# json.dumps(row, ensure_ascii=False, allow_nan=False) without rebuilding an encoder for every row
_c_encoder = getattr(json.encoder, "c_make_encoder", None)
if _c_encoder is not None:
    _ROW_ENCODER = _c_encoder(None, _no_default, json.encoder.encode_basestring, None, ": ", ", ", False, False,
                              False)

    def _encode_row(obj: dict) -> str:
        return "".join(_ROW_ENCODER(obj, 0))
else:  # pragma: no cover - CPython always has the C encoder
    _encode_row = _JSON.encode

_ROW_CODE: dict[tuple, Callable] = {}


def _row_encoder(fields: list[dict[str, Any]]) -> Callable[[list[dict]], tuple[list[list[str]], list[str]]]:
    """A function (compiled once per field list) giving every row's CSV cells and JSON object text.

    Same rules as the cell writers and json_value, written out per field because this loop runs
    for every cell of every package (it was most of the packager's time)."""
    signature = tuple((f["name"], f["type"]) for f in fields)
    fn = _ROW_CODE.get(signature)
    if fn is not None:
        return fn
    cells, items = [], []
    for i, (name, ftype) in enumerate(signature):
        key = repr(name)
        if ftype in ("number", "integer"):
            cells.append(f"('' if (v{i} := g({key})) is None else (v{i} if I(v{i}, S) else N(v{i})))")
            items.append(f"{key}: (J(v{i}, {ftype!r}) if I(v{i}, S) else v{i})")
        elif ftype == "object":
            cells.append(f"O(v{i} := g({key}))")
            items.append(f"{key}: v{i}")
        else:
            cells.append(f"('' if (v{i} := g({key})) is None else "
                         f"(v{i} if v{i}.__class__ is str and not v{i}.startswith(FS) else T(v{i})))")
            items.append(f"{key}: v{i}")
    source = (
        "def encode_rows(rows):\n"
        "    cells, texts = [], []\n"
        "    for row in rows:\n"
        "        g = row.get\n"
        f"        cells.append([{', '.join(cells)}])\n"
        f"        texts.append(E({{{', '.join(items)}}}))\n"
        "    return cells, texts\n"
    )
    namespace = {"I": isinstance, "S": str, "N": number_text, "O": _object_cell, "T": _text_cell, "J": json_value, "FS": FORMULA_STARTS,
                 "E": _encode_row}
    exec(compile(source, "<juesuan row encoder>", "exec"), namespace)
    fn = namespace["encode_rows"]
    if len(_ROW_CODE) > 4096:
        _ROW_CODE.clear()
    _ROW_CODE[signature] = fn
    return fn


def encode_rows(fields: list[dict[str, Any]], rows: list[dict[str, Any]]) -> tuple[list[str], list[str]]:
    """Rows as CSV records and as JSON object texts, in field order (see csv_bytes and json_bytes)."""
    if not fields:
        return ["\n"] * len(rows), ["{}"] * len(rows)
    cells, texts = _row_encoder(fields)(rows)
    return csv_records(cells), texts


def csv_cells(fields: list[dict[str, Any]], rows: list[dict[str, Any]]) -> list[list[str]]:
    """Each row's CSV cell texts in field order: strings formula-escaped, numbers as numbers."""
    names = [f["name"] for f in fields]
    writers = cell_writers(fields)
    pairs = list(zip(names, writers))
    return [[write(row.get(name)) for name, write in pairs] for row in rows]


def csv_bytes(fields: list[dict[str, Any]], rows: list[dict[str, Any]]) -> bytes:
    """CSV, UTF-8 with BOM, '\\n' line endings; string cells formula-escaped, numbers as numbers."""
    return csv_file(fields, encode_rows(fields, rows)[0])


def csv_file(fields: list[dict[str, Any]], records: list[str]) -> bytes:
    """Header plus already-encoded records, as the bytes of a CSV file."""
    header = csv_records([[f["name"] for f in fields]])[0]
    return ("\ufeff" + header + "".join(records)).encode("utf-8")


def json_value(value: Any, ftype: str) -> Any:
    if value is None:
        return None
    if ftype in ("number", "integer") and isinstance(value, str):
        number = float(value.replace(",", ""))
        return int(number) if ftype == "integer" else number
    return value


def json_text(value: Any) -> str:
    """One JSON value as written in a row object (raw text, no escaping)."""
    return _JSON.encode(value)


def json_records(fields: list[dict[str, Any]], rows: list[dict[str, Any]]) -> list[str]:
    """Each row as one JSON object (raw text, no escaping), keys in field order."""
    return encode_rows(fields, rows)[1]


def json_file(records: list[str]) -> bytes:
    """Array of row objects, one row per line for readable diffs."""
    body = "[\n" + ",\n".join(records) + "\n]\n" if records else "[]\n"
    return body.encode("utf-8")


def json_bytes(fields: list[dict[str, Any]], rows: list[dict[str, Any]]) -> bytes:
    """Array of row objects with the raw text (no escaping), one row per line for readable diffs."""
    return json_file(encode_rows(fields, rows)[1])


def descriptor_bytes(descriptor: dict[str, Any]) -> bytes:
    """The descriptor as json.dumps(indent=2) would write it, built faster (resources are memoised)."""
    return (indented(descriptor) + "\n").encode("utf-8")


_RESOURCE_TEXT: dict[str, str] = {}


def indented(value: Any, level: int = 0) -> str:
    """Exactly json.dumps(value, ensure_ascii=False, indent=2, allow_nan=False), but with the C
    encoder for every scalar (json's own indenting encoder is pure Python and was the packager's
    largest cost); resource descriptors repeat across packages and are written once per shape."""
    if isinstance(value, dict):
        if not value:
            return "{}"
        pad = "\n" + "  " * (level + 1)
        items = []
        for key, item in value.items():
            if not isinstance(key, str):
                return _JSON_INDENT.encode(value).replace("\n", "\n" + "  " * level)
            if key == "resources" and isinstance(item, list) and item:
                text = _resources_text(item, level + 1)
            else:
                text = indented(item, level + 1)
            items.append(f"{_JSON.encode(key)}: {text}")
        return "{" + pad + ("," + pad).join(items) + "\n" + "  " * level + "}"
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        pad = "\n" + "  " * (level + 1)
        return "[" + pad + ("," + pad).join(indented(item, level + 1) for item in value) + "\n" + "  " * level + "]"
    return _JSON.encode(value)


_JSON_INDENT = json.JSONEncoder(ensure_ascii=False, allow_nan=False, indent=2)


def _resources_text(resources: list, level: int) -> str:
    pad = "\n" + "  " * (level + 1)
    parts = []
    for resource in resources:
        key = f"{level}:{_JSON.encode(resource)}"
        text = _RESOURCE_TEXT.get(key)
        if text is None:
            text = indented(resource, level + 1)
            if len(_RESOURCE_TEXT) > 4096:
                _RESOURCE_TEXT.clear()
            _RESOURCE_TEXT[key] = text
        parts.append(text)
    return "[" + pad + ("," + pad).join(parts) + "\n" + "  " * level + "]"


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
    files: dict[str, Any],
    before_file: Callable[[str], None] | None = None,
) -> Path:
    """Write `files` as packages_dir/name/ so that readers only ever see the old or the new folder.

    A file's content is bytes, or an iterable of byte pieces (written as they come: the catalog's
    big files are never held whole in memory).

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
        folder = os.open(tmp, os.O_RDONLY | os.O_DIRECTORY)
        try:
            for file_name, data in sorted(files.items()):
                if "/" in file_name or "\\" in file_name or file_name.startswith(".") or "\0" in file_name:
                    raise JuesuanError(f"refusing unsafe file name {file_name!r}")
                if before_file:
                    before_file(file_name)
                # a bare os.open/os.write: thousands of small files, and io.open's extra syscalls showed
                fd = os.open(file_name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644, dir_fd=folder)
                try:
                    for piece in ((data,) if isinstance(data, bytes) else data):
                        view = memoryview(piece)
                        while view:
                            view = view[os.write(fd, view):]
                finally:
                    os.close(fd)
        finally:
            os.close(folder)
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
        if not entry.name.startswith((OLD_PREFIX, TMP_PREFIX)) or not entry.is_dir():
            continue  # (the name first: a stat for each of thousands of packages showed)
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
