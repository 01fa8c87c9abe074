"""Bad input: each file gets a clear one-line ReportError, and a batch goes on without it."""

from __future__ import annotations

import io
import os
import random
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from juesuan import settings
from juesuan.cli import cli
from juesuan.errors import ReportError
from juesuan.read import read_report

KEXIE = "sichuan-panzhihua-kexie-2022"


def _texts(doc) -> list:
    return [b.text if hasattr(b, "text") else b.rows for b in doc.blocks]


def _reason(path: Path) -> str:
    with pytest.raises(ReportError) as info:
        read_report(path)
    assert info.value.path == str(path)
    assert "\n" not in info.value.reason
    return info.value.reason


# ------------------------------------------------------------------ .txt


def test_empty_file(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    assert "empty file" in _reason(tmp_path / "empty.txt")
    (tmp_path / "blank.txt").write_bytes(b"\xef\xbb\xbf \n\n\t\n")
    assert "empty file" in _reason(tmp_path / "blank.txt")


def test_binary_garbage(tmp_path):
    rng = random.Random(7)
    (tmp_path / "garbage.txt").write_bytes(bytes(rng.randrange(256) for _ in range(4096)))
    assert "not a text report" in _reason(tmp_path / "garbage.txt")
    # no NUL byte, but control characters throughout
    (tmp_path / "controls.txt").write_bytes(b"\x01\x02\x03abc\x04\x05\x06" * 200)
    assert "not a text report" in _reason(tmp_path / "controls.txt")


@pytest.mark.parametrize("encoding, recorded", [("gb18030", "gb18030"), ("gbk", "gb18030"), ("utf-8-sig", "utf-8-sig")])
def test_encodings_read_identically(encoding, recorded, tmp_path, sample_txt_paths):
    original = read_report(sample_txt_paths[KEXIE])
    text = sample_txt_paths[KEXIE].read_text(encoding="utf-8")
    path = tmp_path / f"{encoding}.txt"
    path.write_bytes(text.encode(encoding))
    doc = read_report(path)
    assert doc.encoding == recorded
    assert _texts(doc) == _texts(original)


def test_short_gbk_text_is_not_mistaken_for_big5(tmp_path):
    path = tmp_path / "short.txt"
    path.write_bytes("收入合计1853.47万元".encode("gbk"))
    doc = read_report(path)
    assert doc.encoding == "gb18030" and doc.paragraphs()[0].text == "收入合计1853.47万元"


def test_utf16_with_bom(tmp_path, sample_txt_paths):
    text = sample_txt_paths[KEXIE].read_text(encoding="utf-8")
    path = tmp_path / "utf16.txt"
    path.write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    assert _texts(read_report(path)) == _texts(read_report(sample_txt_paths[KEXIE]))


@pytest.mark.parametrize("stem", ["sichuan-panzhihua-kejiju-2022", "sichuan-suining-kejiju-2024"])
def test_traditional_script_reads_like_simplified(stem, tmp_path, sample_txt_paths):
    import opencc

    text = sample_txt_paths[stem].read_text(encoding="utf-8")
    traditional = opencc.OpenCC("s2t").convert(text)
    assert traditional != text and "決算" in traditional
    path = tmp_path / f"{stem}.txt"
    path.write_text(traditional, encoding="utf-8")
    assert _texts(read_report(path)) == _texts(read_report(sample_txt_paths[stem]))


# ------------------------------------------------------------------ .docx


def test_truncated_docx(tmp_path, sample_docx_paths):
    data = sample_docx_paths[KEXIE].read_bytes()
    path = tmp_path / "truncated.docx"
    path.write_bytes(data[: len(data) // 2])
    assert "truncated or corrupt .docx" in _reason(path)


def test_corrupt_docx(tmp_path, sample_docx_paths):
    data = bytearray(sample_docx_paths[KEXIE].read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        info = zf.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for i in range(start + 10, start + 60):  # scramble compressed bytes of the main part
        data[i] ^= 0x5A
    path = tmp_path / "corrupt.docx"
    path.write_bytes(bytes(data))
    assert "truncated or corrupt .docx" in _reason(path)
    (tmp_path / "text.docx").write_text("this is not a zip file", encoding="utf-8")
    assert "truncated or corrupt .docx" in _reason(tmp_path / "text.docx")


def test_zip_bomb_docx(tmp_path, monkeypatch):
    import juesuan.read.docx as reader

    monkeypatch.setattr(reader, "DOCX_MAX_UNCOMPRESSED", 8 * 2**20)
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("word/document.xml", "w") as member:
            chunk = b"\0" * 2**20
            for _ in range(20):  # 20 MiB of zeros, about 20 KiB on disk
                member.write(chunk)
    assert path.stat().st_size < 100_000
    reason = _reason(path)
    assert "refused" in reason and "20 MiB" in reason and "zip bomb" in reason


def test_too_many_members(tmp_path, monkeypatch):
    import juesuan.read.docx as reader

    monkeypatch.setattr(reader, "DOCX_MAX_MEMBERS", 50)
    path = tmp_path / "many.docx"
    with zipfile.ZipFile(path, "w") as zf:
        for i in range(60):
            zf.writestr(f"word/media/{i}.bin", b"x")
    assert "holds 60 files" in _reason(path)


def test_xml_entity_attack_docx(tmp_path, sample_docx_paths):
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>&lol2;</w:t></w:r></w:p></w:body></w:document>"
    )
    path = tmp_path / "entity.docx"
    with zipfile.ZipFile(sample_docx_paths[KEXIE]) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = laughs.encode() if info.filename == "word/document.xml" else src.read(info)
            dst.writestr(info.filename, data)
    reason = _reason(path)
    assert "DOCTYPE/ENTITY" in reason and "word/document.xml" in reason


# ------------------------------------------------------------------ .pdf


def test_scanned_pdf(tmp_path):
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (600, 800), "white")
    ImageDraw.Draw(image).text((50, 50), "2022 scanned page", fill="black")
    path = tmp_path / "scanned.pdf"
    image.save(path, "PDF")
    reason = _reason(path)
    assert reason.startswith("scanned PDF with no text layer") and "ocrmypdf" in reason


def test_pdf_over_time_limit(monkeypatch, sample_pdf_paths):
    monkeypatch.setattr(settings, "PDF_TIMEOUT_SECONDS", 0.05)
    reason = _reason(sample_pdf_paths["sichuan-suining-kejiju-2024"])
    assert "longer than 0.05 s" in reason and "PDF_TIMEOUT_SECONDS" in reason


def test_pdf_over_memory_limit(monkeypatch, sample_pdf_paths):
    monkeypatch.setattr(settings, "PDF_MEMORY_BYTES", 64 * 2**20)  # less than Python + pdfminer need
    reason = _reason(sample_pdf_paths[KEXIE])
    assert "MiB" in reason


def test_damaged_pdf(tmp_path):
    path = tmp_path / "damaged.pdf"
    path.write_bytes(b"%PDF-1.7\n" + os.urandom(2000))
    reason = _reason(path)
    assert "PDF" in reason


def test_unsupported_suffix(tmp_path):
    (tmp_path / "report.doc").write_bytes(b"x")
    assert "unsupported file type" in _reason(tmp_path / "report.doc")


# ------------------------------------------------------------------ the command


def test_cli_batch_goes_on_past_bad_files(tmp_path, sample_txt_paths):
    good = tmp_path / "good.txt"
    good.write_bytes(sample_txt_paths[KEXIE].read_bytes())
    (tmp_path / "bad.docx").write_bytes(b"PK\x03\x04 not really a zip")
    (tmp_path / "story.txt").write_text("今天天气很好，我们去公园散步。\n下午回家吃饭。\n", encoding="utf-8")
    runner = CliRunner()
    args = ["extract", str(good), str(tmp_path / "bad.docx"), str(tmp_path / "story.txt"), "-o", str(tmp_path / "out")]
    result = runner.invoke(cli, args)
    output = result.output  # click ≥ 8.2 mixes stderr into output
    assert result.exit_code == 0, output
    assert "Traceback" not in output
    assert (tmp_path / "out" / "good.json").exists()
    bad_lines = [ln for ln in output.splitlines() if "bad.docx" in ln]
    assert len(bad_lines) == 1 and "truncated or corrupt .docx" in bad_lines[0]
    story = [ln for ln in output.splitlines() if "story.txt" in ln]
    assert len(story) == 1 and "not a final-accounts report" in story[0]


def test_cli_only_bad_files_exit_1(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    result = CliRunner().invoke(cli, ["extract", str(tmp_path / "empty.txt"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "empty.txt" in result.output and "empty file" in result.output
    assert "Traceback" not in result.output
