"""Escaping for untrusted report text: HTML text and attributes, titles, chart JSON, URLs."""

from __future__ import annotations

import html
import json
import re
from typing import Any
from urllib.parse import urlsplit

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Characters Markdown, Jinja or YAML could act on even after HTML escaping; turned into
# numeric references so the text stays visible exactly as printed.
_MARKDOWN_ACTIVE = {
    "[": "&#91;", "]": "&#93;", "(": "&#40;", ")": "&#41;", "*": "&#42;", "_": "&#95;",
    "`": "&#96;", "\\": "&#92;", "|": "&#124;", "{": "&#123;", "}": "&#125;", "~": "&#126;",
    "#": "&#35;", "!": "&#33;", ":": "&#58;", "=": "&#61;", "\u2028": "&#8232;", "\u2029": "&#8233;",
    "\n": "&#10;", "\r": "",
}
_MD_RE = re.compile("[" + re.escape("".join(_MARKDOWN_ACTIVE)) + "]")
# Page titles go through MkDocs' Jinja templates without autoescaping (and `striptags`
# un-escapes), so the few HTML-active characters are swapped for their full-width forms.
_TITLE_SWAP = str.maketrans({"<": "＜", ">": "＞", "&": "＆", '"': "＂", "'": "＇", "\n": " ", "\r": " ",
                             "\t": " ", "\u2028": " ", "\u2029": " ", "{": "｛", "}": "｝", "|": "｜",
                             "[": "［", "]": "］", "`": "｀", "\\": "＼", "#": "＃", "*": "＊", "_": "＿"})


# Everything `text` replaces, in one table: control characters dropped, HTML-active characters as
# entities, Markdown-active ones as numeric references. One pass, so the `#` of an entity just
# written is never escaped again (two passes turned ' into a visible "&#x27;").
_ESCAPES = {**{chr(c): "" for c in range(0x20) if chr(c) not in "\t\n\r"}, "\x7f": "",
            **_MARKDOWN_ACTIVE, "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"}
_ESCAPE_RE = re.compile("[" + re.escape("".join(_ESCAPES)) + "]")
_ESCAPE_TABLE = str.maketrans(_ESCAPES)  # the same replacements for str.translate (one pass too)


def text(value: Any) -> str:
    """HTML-escape untrusted text for element content or a quoted attribute value."""
    if value is None:
        return ""
    s = value if type(value) is str else str(value)
    if _ESCAPE_RE.search(s) is None:
        return s
    return s.translate(_ESCAPE_TABLE)


_LINE_BREAK = re.compile(r"\r\n|\r|\n|\u2028|\u2029")


def multiline(value: Any) -> str:
    """Escaped text with line breaks kept as <br> (no blank lines reach Markdown)."""
    s = "" if value is None else value if type(value) is str else str(value)
    # Most cells (a page has hundreds) hold one line: the line breaks are among `text`'s escapes.
    if _ESCAPE_RE.search(s) is None:
        return s
    if _LINE_BREAK.search(s) is None:
        return s.translate(_ESCAPE_TABLE)
    parts = _LINE_BREAK.split(s)
    return "<br>".join(text(p) for p in parts if p.strip())


_SPACES = re.compile(r"\s+")


def title(value: Any, limit: int = 120) -> str:
    """A plain title for nav, <title> and the search index: no HTML/Markdown-active characters."""
    s = _CONTROL.sub("", "" if value is None else str(value)).translate(_TITLE_SWAP)
    s = _SPACES.sub(" ", s).strip()
    return s[:limit] or "（无名称）"


def script_json(data: Any) -> str:
    """JSON safe inside an inline <script>: `< > & '` and U+2028/U+2029 as \\u escapes."""
    s = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (s.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("'", "\\u0027").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def yaml_string(value: str) -> str:
    """A double-quoted YAML scalar (JSON is valid YAML) for front matter."""
    return json.dumps(value, ensure_ascii=True)


def http_url(value: Any) -> str | None:
    """The URL if it is a plain http(s) URL, else None (shown as text, never linked)."""
    if not value or not isinstance(value, str):
        return None
    s = value.strip()
    if any(c in s for c in "\"'<>` \t\r\n\\") or _CONTROL.search(s):
        return None
    try:
        parts = urlsplit(s)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return s


def link(url: Any, label: Any) -> str:
    """An <a> for http(s) URLs; anything else is shown as escaped text."""
    safe = http_url(url)
    if safe is None:
        return text(label if label else url)
    return f'<a href="{text(safe)}" rel="nofollow noopener">{text(label or safe)}</a>'
