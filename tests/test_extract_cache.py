"""The record cache: a cached record equals a fresh one, and anything that changes the record
(file bytes, manifest row, code) misses the cache; a broken entry is re-extracted, never fatal."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from juesuan import fingerprint
from juesuan.cli import cli
from juesuan.extract import (
    RecordCache,
    extract_many,
    extract_one,
    find_reports,
    record_from_json,
    record_json,
    record_to_dict,
)
from juesuan.record import Record

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "reports").glob("*.txt"))
MANIFEST = (ROOT / "reports" / "manifest.csv").read_text(encoding="utf-8")


@pytest.fixture
def reports(tmp_path) -> Path:
    """Three sample reports and the manifest, in a folder of their own."""
    folder = tmp_path / "reports"
    folder.mkdir()
    for p in SAMPLES[:3]:
        shutil.copy(p, folder / p.name)
    shutil.copy(ROOT / "reports" / "manifest.csv", folder / "manifest.csv")
    return folder


def _cache_files(cache: Path) -> list[Path]:
    return sorted(cache.glob("*/*.json"))


def test_codec_gives_the_same_dict_json_and_record_as_the_contract():
    records = [extract_one(p) for p in SAMPLES]
    for record in records:
        assert record_to_dict(record) == dataclasses.asdict(record)
        assert record_json(record) == record.to_json()
        assert record_from_json(record_json(record, indent=False)) == record
        assert record_from_json(record_json(record, indent=False)) == Record.from_json(record.to_json())


def test_cached_run_equals_uncached_run(reports, tmp_path):
    cache = tmp_path / "cache"
    files = find_reports([reports])
    fresh = extract_many(files, jobs=1)
    first = extract_many(files, jobs=1, cache_dir=cache)
    assert not any(o.cached for o in first)
    assert len(_cache_files(cache)) == len(files)
    second = extract_many(files, jobs=1, cache_dir=cache)
    assert all(o.cached for o in second)
    assert [o.record for o in second] == [o.record for o in fresh] == [o.record for o in first]
    assert [o.path for o in second] == [str(p) for p in files]
    assert [o.key for o in second] == [o.key for o in first] and len({o.key for o in first}) == len(files)
    assert all(o.key is None for o in fresh)


def test_changed_file_misses_the_cache(reports, tmp_path):
    cache = tmp_path / "cache"
    files = find_reports([reports])
    extract_many(files, jobs=1, cache_dir=cache)
    target = files[1]
    assert target.name == "sichuan-panzhihua-kexie-2022.txt"
    text = target.read_text(encoding="utf-8")
    # Line 26 of this report: “2022年本年收入合计663.96万元，其中：…”. Print another amount.
    assert "本年收入合计663.96万元" in text
    target.write_text(text.replace("本年收入合计663.96万元", "本年收入合计700.00万元"), encoding="utf-8")
    again = extract_many(files, jobs=1, cache_dir=cache)
    assert again[1].record.figure("income_total").text == "700.00"
    assert [o.cached for o in again] == [True, False, True]
    assert again[1].record == extract_one(target, _entry(reports, target))
    assert again[1].record.source_file.sha256 == fingerprint.file_sha256(target)


def _entry(folder: Path, path: Path):
    from juesuan.manifest import find_manifest, load_manifest

    return load_manifest(find_manifest(folder)).get(path.name)


def test_changed_manifest_row_misses_the_cache(reports, tmp_path):
    cache = tmp_path / "cache"
    files = find_reports([reports])
    before = extract_many(files, jobs=1, cache_dir=cache)
    name = files[0].name
    lines = MANIFEST.splitlines()
    header = lines[0].split(",")
    row = next(line for line in lines if line.startswith(name + ","))
    cells = row.split(",")
    cells[header.index("department")] = "测试市改名局"
    (reports / "manifest.csv").write_text(MANIFEST.replace(row, ",".join(cells)), encoding="utf-8")
    after = extract_many(files, jobs=1, cache_dir=cache)
    assert [o.cached for o in after] == [False, True, True]
    assert before[0].record.identity.department != "测试市改名局"
    assert after[0].record.identity.department == "测试市改名局"


def test_changed_code_fingerprint_misses_the_cache(reports, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    files = find_reports([reports])
    extract_many(files, jobs=1, cache_dir=cache)
    assert all(o.cached for o in extract_many(files, jobs=1, cache_dir=cache))
    old_folders = sorted(p.name for p in cache.iterdir())
    assert len(old_folders) == 1
    monkeypatch.setattr(fingerprint, "record_fingerprint", lambda: "0123456789abcdef" + "0" * 48)
    assert not any(o.cached for o in extract_many(files, jobs=1, cache_dir=cache))
    # The old version's entries are gone; the new version's are there.
    assert sorted(p.name for p in cache.iterdir()) == ["0123456789abcdef"]
    assert len(_cache_files(cache)) == len(files)
    assert all(o.cached for o in extract_many(files, jobs=1, cache_dir=cache))


def test_only_version_folders_are_removed(reports, tmp_path):
    cache = tmp_path / "cache"
    (cache / "notes").mkdir(parents=True)
    (cache / "README.txt").write_text("mine", encoding="utf-8")
    extract_many(find_reports([reports]), jobs=1, cache_dir=cache)
    assert (cache / "notes").is_dir() and (cache / "README.txt").is_file()


def test_code_fingerprint_covers_the_parser_sources():
    covered = set(fingerprint.CODE_PATHS)
    assert {"read", "parse", "record.py"} <= covered
    for name in covered:
        assert (fingerprint.PACKAGE_ROOT / name).exists(), name
    assert len(fingerprint.record_fingerprint()) == 64


@pytest.mark.parametrize("damage", ["truncated", "garbage", "empty", "not_a_record", "other_file", "edited_value"])
def test_corrupt_cache_entry_is_re_extracted(reports, tmp_path, damage):
    cache = tmp_path / "cache"
    files = find_reports([reports])
    fresh = extract_many(files, jobs=1, cache_dir=cache)
    entries = {p.name: p for p in _cache_files(cache)}
    assert len(entries) == 3
    victim = next(iter(entries.values()))
    text = victim.read_text(encoding="utf-8")
    assert '"value":' in text
    other = next(p for p in entries.values() if p != victim).read_text(encoding="utf-8")
    victim.write_text(
        {
            "truncated": text[: len(text) // 2],
            "garbage": "\x00\xff not json",
            "empty": "",
            "not_a_record": '{"source_file": 1, "identity": []}',
            "other_file": other,  # a valid entry of another report: its file's sha256 does not match
            # Still valid JSON, the digest no longer matches: a figure's value was changed by hand.
            "edited_value": text.replace('"value":', '"value":1', 1),
        }[damage],
        encoding="utf-8",
    )
    again = extract_many(files, jobs=1, cache_dir=cache)
    assert sum(not o.cached for o in again) == 1
    assert [o.record for o in again] == [o.record for o in fresh]
    # The entry was rewritten with the good record.
    assert victim.read_text(encoding="utf-8") != other or damage != "other_file"
    assert all(o.cached for o in extract_many(files, jobs=1, cache_dir=cache))


def test_failed_report_is_never_cached_and_always_named(reports, tmp_path):
    cache = tmp_path / "cache"
    (reports / "broken.txt").write_bytes(b"\x00\x01\x02 binary")
    files = find_reports([reports])
    for _ in range(2):
        outcomes = extract_many(files, jobs=1, cache_dir=cache)
        failed = [o for o in outcomes if o.record is None]
        assert [Path(o.path).name for o in failed] == ["broken.txt"]
        assert "not a text report" in failed[0].error
    assert len(_cache_files(cache)) == 3


def test_unwritable_cache_does_not_fail_extraction(reports, tmp_path):
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    outcomes = extract_many(find_reports([reports]), jobs=1, cache_dir=blocker / "records")
    assert all(o.record is not None for o in outcomes)


def test_worker_processes_give_the_same_records(tmp_path):
    """Eight copies of the samples run through the process pool, cold then from the cache."""
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(2):
        for p in SAMPLES[:4]:
            shutil.copy(p, folder / f"{i}-{p.name}")
    files = find_reports([folder])
    serial = extract_many(files, jobs=1)
    pooled = extract_many(files, jobs=2, cache_dir=tmp_path / "cache")
    warm = extract_many(files, jobs=2, cache_dir=tmp_path / "cache")
    assert [o.record for o in pooled] == [o.record for o in serial] == [o.record for o in warm]
    assert all(o.cached for o in warm) and not any(o.cached for o in pooled)


def test_cli_cache_options_keep_the_output(reports, tmp_path):
    runner = CliRunner()
    cache = tmp_path / "cache"
    out_a, out_b, out_c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    cold = runner.invoke(cli, ["extract", str(reports), "-o", str(out_a), "--cache-dir", str(cache)])
    warm = runner.invoke(cli, ["extract", str(reports), "-o", str(out_b), "--cache-dir", str(cache)])
    none = runner.invoke(cli, ["extract", str(reports), "-o", str(out_c), "--no-cache", "--cache-dir", str(tmp_path / "unused")])
    assert cold.exit_code == warm.exit_code == none.exit_code == 0, cold.output
    assert cold.output.replace(str(out_a), "OUT") == warm.output.replace(str(out_b), "OUT") == none.output.replace(str(out_c), "OUT")
    assert len(cold.output.splitlines()) == 4  # one line per report and the total
    assert (cache / "records").is_dir() and not (tmp_path / "unused").exists()
    for p in sorted(out_a.glob("*.json")):
        assert (out_b / p.name).read_text(encoding="utf-8") == p.read_text(encoding="utf-8")
        assert (out_c / p.name).read_text(encoding="utf-8") == p.read_text(encoding="utf-8")
        assert Record.from_json(p.read_text(encoding="utf-8")).to_json() == p.read_text(encoding="utf-8")


def test_quiet_progress_counts_instead_of_one_line_per_report(tmp_path, monkeypatch, capsys):
    import juesuan.cli as cli_module

    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(3):
        for p in SAMPLES[:3]:
            shutil.copy(p, folder / f"{i}-{p.name}")
    monkeypatch.setattr(cli_module, "PROGRESS_EVERY", 4)
    outcomes = cli_module.run_extract([folder], None, 1, False, quiet=True, cache_dir=tmp_path / "cache")
    assert len(outcomes) == 9
    lines = capsys.readouterr().out.splitlines()
    assert [line.strip() for line in lines] == [
        "4 of 9 reports (0 unchanged, from the cache)",
        "8 of 9 reports (0 unchanged, from the cache)",
        "9 of 9 reports (0 unchanged, from the cache)",
    ]


def test_the_same_folder_spelt_another_way_is_the_same_cache_entry(reports, tmp_path, monkeypatch):
    """An absolute run, then a relative one (and one through a symlink) of the same folder: every
    record comes from the cache with the same key and digest, and no package is rebuilt."""
    from juesuan.package import build_packages

    cache = tmp_path / "cache"
    absolute = extract_many(find_reports([reports.resolve()]), jobs=1, cache_dir=cache / "records")
    first = build_packages(absolute, tmp_path / "pk", reports_root=reports.resolve(), cache_dir=cache)
    assert first.unchanged == 0 and len(first.written) == 3
    monkeypatch.chdir(tmp_path)
    (tmp_path / "link").symlink_to(reports, target_is_directory=True)
    for spelling in (Path("reports"), Path("./reports/../reports"), Path("link")):
        again = extract_many(find_reports([spelling]), jobs=1, cache_dir=Path("cache") / "records")
        assert all(o.cached for o in again)
        assert [o.key for o in again] == [o.key for o in absolute]
        assert [o.digest for o in again] == [o.digest for o in absolute]
        # the record still names the file as it was given this time
        assert [o.record.source_file.path for o in again] == [str(p) for p in find_reports([spelling])]
        summary = build_packages(again, Path("pk"), reports_root=spelling, cache_dir=Path("cache"))
        assert summary.unchanged == 3 and summary.written == first.written


def test_unchanged_reports_are_known_by_stat_and_edits_are_never_missed(reports, tmp_path, monkeypatch):
    """A rebuild reads neither unchanged reports nor their records; an edit that keeps the size
    and the mtime is still seen (the ctime changes), and a touched file keeps its record."""
    import os

    from juesuan import extract

    cache = tmp_path / "cache"
    files = find_reports([reports])
    extract_many(files, jobs=1, cache_dir=cache)
    reads = []
    real_sha, real_get = fingerprint.file_sha256, extract.RecordCache.get
    monkeypatch.setattr(fingerprint, "file_sha256", lambda p: reads.append(("report", Path(p).name)) or real_sha(p))
    monkeypatch.setattr(extract.RecordCache, "get", lambda self, *a: reads.append(("record",)) or real_get(self, *a))
    again = extract_many(files, jobs=1, cache_dir=cache)
    assert all(o.cached for o in again) and reads == []

    target = files[0]
    st = target.stat()
    data = target.read_bytes()
    i = data.index("决算".encode("utf-8"))  # same length: 决算 → 预算
    target.write_bytes(data[:i] + "预算".encode("utf-8") + data[i + len("预算".encode("utf-8")):])
    os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert target.stat().st_size == st.st_size and target.stat().st_mtime_ns == st.st_mtime_ns
    edited = extract_many(files, jobs=1, cache_dir=cache)
    assert [o.cached for o in edited] == [False, True, True]
    assert edited[0].record == extract_one(target, _entry(reports, target))

    os.utime(files[1])  # touched, not changed: read and hashed again, its record still cached
    reads.clear()
    touched = extract_many(files, jobs=1, cache_dir=cache)
    assert all(o.cached for o in touched) and reads == [("report", files[1].name)]
