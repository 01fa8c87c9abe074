"""The jieba user dictionary for Material's search, generated from the data.

Department names and short names, 类/款/项 names, budget terms: kept whole when the search
index is segmented, so a query for 市科技局 or 科技成果转化与扩散 matches them by prefix.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from .load import Package, Packages

BUDGET_TERMS = ["三公经费", "机关运行经费", "政府采购", "因公出国（境）费", "公务用车购置及运行维护费", "公务接待费",
                "公务用车购置费", "公务用车运行维护费", "基本支出", "项目支出", "人员经费", "公用经费",
                "一般公共预算", "财政拨款", "政府性基金", "国有资本经营预算", "本年收入合计", "本年支出合计",
                "收支总计", "年初结转和结余", "年末结转和结余", "绩效自评", "部门决算", "单位决算", "名词解释"]
_OK = re.compile(r"^[\w\u3000-\u303f\u4e00-\u9fff\uff00-\uffef（）()“”·]{2,40}$")


def package_words(p: Package) -> list[str]:
    """One report's candidate words, in the order `words` lists them (raw: `words` cleans them)."""
    out = [p.department]
    out += [s for s in (p.meta.get("short_names") or []) if isinstance(s, str)]
    for r in p.rows("spending_by_function"):
        out += [str(r.get(k) or "") for k in ("class_name", "kuan_name", "xiang_name")]
    out += [str(r.get("class_name") or "") for r in p.rows("spending_by_class")]
    out += [str(r.get("term") or "") for r in p.rows("glossary")]
    return out


def words(pk: Packages, classification_csv: Path | None = None) -> list[str]:
    return merge([package_words(p) for p in pk.reports], classification_csv)


def merge(per_report: list[list[str]], classification_csv: Path | None = None) -> list[str]:
    """The dictionary's words: budget terms, each report's words (in report order), the classification's names."""
    out: list[str] = list(BUDGET_TERMS)
    for ws in per_report:
        out += ws
    if classification_csv and classification_csv.is_file():
        with classification_csv.open(encoding="utf-8-sig", newline="") as fh:
            out += [r.get("name") or "" for r in csv.DictReader(fh)]
    clean: list[str] = []
    seen: set[str] = set()
    for w in out:
        w = w.replace("“", "").replace("”", "").replace("\"", "").strip()
        if w and w not in seen and _OK.match(w):
            seen.add(w)
            clean.append(w)
    return clean


def dictionary(words: list[str]) -> str:
    """jieba's user-dictionary format: a word a line, with a frequency high enough to keep it whole."""
    return "".join(f"{w} 100000 nz\n" for w in words)
