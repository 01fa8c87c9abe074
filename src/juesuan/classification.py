"""政府收支分类科目 (expenditure functional classification): 类/款/项 names → codes.

The table in `data/classification.csv` holds only codes seen printed next to their names in
public sources (see /work/shared/classification/README.md): a name that is not there stays
unmapped and is reported with the closest known names. No code is ever guessed.
"""

from __future__ import annotations

import csv
import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class Code:
    code: str
    level: str  # 类 | 款 | 项
    name: str
    parent_code: str | None


@dataclass
class Mapping:
    """Codes found for one 类/款/项 chain, and what could not be mapped (with candidates)."""

    class_code: str | None = None
    kuan_code: str | None = None
    xiang_code: str | None = None
    unmapped: list[tuple[str, str, list[str]]] = field(default_factory=list)  # (level, name, candidates)


_SPACE = re.compile(r"\s+")
_LEVEL_MARK = re.compile(r"\((类|款|项|项目)\)$")


@lru_cache(maxsize=65536)
def clean(name: str | None) -> str:
    """Name as compared: NFKC, no spaces, no （类）/（款）/（项） markers."""
    if not name:
        return ""
    text = unicodedata.normalize("NFKC", name)
    text = _SPACE.sub("", text)
    text = _LEVEL_MARK.sub("", text)
    return text


@lru_cache(maxsize=65536)
def class_key(name: str | None) -> str:
    """类 names are printed with or without their trailing 支出 (科学技术 = 科学技术支出)."""
    text = clean(name)
    while text.endswith("支出") and len(text) > 4:
        text = text[:-2]
    return text


@dataclass
class Table:
    codes: list[Code]

    def __post_init__(self) -> None:
        self.by_code = {c.code: c for c in self.codes}
        self.children: dict[str | None, list[Code]] = {}
        for c in self.codes:
            self.children.setdefault(c.parent_code, []).append(c)
        # lookups by compared name; the first code listed wins, as a scan in file order would
        self._classes: dict[str, Code] = {}
        for c in self.children.get(None, []):
            self._classes.setdefault(class_key(c.name), c)
        self._children: dict[str | None, dict[str, Code]] = {}
        for parent, kids in self.children.items():
            named = self._children.setdefault(parent, {})
            for c in kids:
                named.setdefault(clean(c.name), c)

    def name(self, code: str | None) -> str | None:
        c = self.by_code.get(code or "")
        return c.name if c else None

    def find_class(self, name: str | None) -> Code | None:
        return self._classes.get(class_key(name))

    def find_child(self, parent: Code, name: str | None) -> Code | None:
        return self._children.get(parent.code, {}).get(clean(name))

    def candidates(self, level: str, name: str, parent: Code | None) -> list[str]:
        """Closest known names (with codes) for an unmapped name: among siblings, else the whole level."""
        pool = self.children.get(parent.code, []) if parent else [c for c in self.codes if c.level == level]
        names = {clean(c.name) if level != "类" else class_key(c.name): c for c in pool}
        key = class_key(name) if level == "类" else clean(name)
        close = difflib.get_close_matches(key, list(names), n=3, cutoff=0.5)
        if not close and parent:  # nothing similar: list the known siblings instead
            close = sorted(names)[:5]
        return [f"{names[k].code} {names[k].name}" for k in close]

    def map(self, class_name: str | None, kuan_name: str | None, xiang_name: str | None) -> Mapping:
        """Codes for a 类-款-项 chain; each level is looked up under its parent only."""
        m = Mapping()
        cls = self.find_class(class_name) if class_name else None
        if class_name and cls is None:
            m.unmapped.append(("类", class_name, self.candidates("类", class_name, None)))
        m.class_code = cls.code if cls else None
        kuan = None
        if kuan_name and not m.unmapped:
            kuan = self.find_child(cls, kuan_name) if cls else None
            if kuan is None:
                m.unmapped.append(("款", kuan_name, self.candidates("款", kuan_name, cls)))
        m.kuan_code = kuan.code if kuan else None
        if m.unmapped:  # a level below an unmapped one cannot be looked up; the higher level is reported
            return m
        if xiang_name:
            xiang = self.find_child(kuan, xiang_name) if kuan else None
            if xiang is None:
                m.unmapped.append(("项", xiang_name, self.candidates("项", xiang_name, kuan)))
            m.xiang_code = xiang.code if xiang else None
        return m


def load(text: str) -> Table:
    """Parse the classification CSV (columns code, level, name, parent_code, year, source)."""
    rows = csv.DictReader(text.splitlines())
    codes = []
    for row in rows:
        codes.append(
            Code(
                code=row["code"].strip(),
                level=row["level"].strip(),
                name=row["name"].strip(),
                parent_code=(row.get("parent_code") or "").strip() or None,
            )
        )
    return Table(codes)


@lru_cache(maxsize=1)
def table() -> Table:
    """The bundled table (src/juesuan/data/classification.csv)."""
    text = resources.files("juesuan").joinpath("data/classification.csv").read_text(encoding="utf-8-sig")
    return load(text)
