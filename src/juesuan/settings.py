"""Default folders, file names and limits. Imports nothing internal."""

from __future__ import annotations

from pathlib import Path

# Default folders, relative to the working directory (the repository root).
REPORTS_DIR = Path("reports")
RECORDS_DIR = Path("build/records")
PACKAGES_DIR = Path("datapackages")
SITE_DIR = Path("build/site")
DOCS_DIR = Path("docs")
GENERATED_DOCS = "generated"  # folder under docs/ that the site stage owns
CACHE_DIR = Path("build/cache")  # incremental-build caches; never inside datapackages/ or the site
RECORD_CACHE = "records"  # folder under CACHE_DIR: extracted records by key

MANIFEST_NAMES = ("manifest.csv",)
REPORT_SUFFIXES = (".txt", ".docx", ".pdf")

# Limits for untrusted input.
MAX_REPORT_BYTES = 50 * 1024 * 1024
DOCX_MAX_UNCOMPRESSED = 200 * 1024 * 1024
DOCX_MAX_MEMBERS = 2000
PDF_TIMEOUT_SECONDS = 60
PDF_MEMORY_BYTES = 1024 * 1024 * 1024
PDF_MAX_PAGES = 500

# Money units a report may use; values are kept as printed, never rescaled.
MONEY_UNITS = ("万元", "元")

LICENSE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
