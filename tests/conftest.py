"""Shared fixtures: the sample reports as .txt, and built once per session as .docx and .pdf; nine site packages."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "reports"
SITE_PACKAGES = ROOT / "tests" / "data" / "site" / "datapackages"


@pytest.fixture()
def nine_packages(tmp_path) -> Path:
    """Nine report packages, enough for the site's worker pool (it starts at eight): the site test
    fixture's three, each also copied twice under another name (the copies claim pages already
    taken and get their own)."""
    from juesuan.site import generate

    packages = tmp_path / "packages"
    for src in sorted(p for p in SITE_PACKAGES.iterdir() if p.is_dir()):
        for suffix in ("", "-copy-a", "-copy-b"):
            shutil.copytree(src, packages / (src.name + suffix))
    assert generate._pool(9) is not None
    return packages


@pytest.fixture(scope="session")
def files_of():
    """folder → {path under it: bytes} of every file below it: two built sites compare byte for byte."""
    def read(folder: Path) -> dict[str, bytes]:
        return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
    return read


@pytest.fixture(scope="session")
def sample_txt_paths() -> dict[str, Path]:
    """The bundled sample reports (stem → path)."""
    return {p.stem: p for p in sorted(REPORTS.glob("*.txt"))}


@pytest.fixture(scope="session")
def sample_docx_paths(sample_txt_paths, tmp_path_factory) -> dict[str, Path]:
    """A .docx of each sample, with real Word tables (juesuan.convert)."""
    from juesuan.convert import text_export_to_docx

    out = tmp_path_factory.mktemp("docx")
    return {stem: text_export_to_docx(p, out / f"{stem}.docx") for stem, p in sample_txt_paths.items()}


@pytest.fixture(scope="session")
def sample_pdf_paths(sample_docx_paths, tmp_path_factory) -> dict[str, Path]:
    """A text-layer .pdf of each sample .docx, from LibreOffice in one headless call."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is needed for the PDF tests: apt-get install libreoffice-writer-nogui"
    out = tmp_path_factory.mktemp("pdf")
    profile = tmp_path_factory.mktemp("lo-profile")
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation={profile.as_uri()}", "--convert-to", "pdf", "--outdir", str(out),
         *map(str, sample_docx_paths.values())],
        check=True, capture_output=True, timeout=300,
    )
    paths = {stem: out / f"{stem}.pdf" for stem in sample_docx_paths}
    missing = [str(p) for p in paths.values() if not p.exists()]
    assert not missing, f"LibreOffice did not write {missing}"
    return paths
