"""Named errors. Library code raises these; the CLI turns them into one-line messages."""

from __future__ import annotations


class JuesuanError(Exception):
    """Base class: the message is shown to the user as is and says what to do."""


class ReportError(JuesuanError):
    """A report could not be read at all (empty, binary, corrupt, scanned, too big, not a report)."""

    def __init__(self, path: str, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{path}: {reason}")


class ManifestError(JuesuanError):
    """reports/manifest.csv is malformed."""


class DuplicateReportError(JuesuanError):
    """Two reports describe the same department and year."""
