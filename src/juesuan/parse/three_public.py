"""(placeholder: being written)"""

from __future__ import annotations


def extract(document, parts, record) -> None:
    return None
