"""Write the hand-made fixture packages the site tests build from (run once; output committed).

Three report packages following docs/developers/data-contract.md:
- 攀枝花市科学技术局 2022: figures read by hand from reports/sichuan-panzhihua-kejiju-2022.txt;
- the same department in 2021: a second year made for the tests, values derived from the
  2022 report's stated changes (2021 = 2022 value − stated change);
- a hostile report whose every text field carries markup, script and link syntax.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

HERE = Path(__file__).parent / "datapackages"
HOSTILE = ("<script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1)) "
           "javascript:alert(1) </script> {{ jinja }} a|b \u2028 ' \" & `code` *em* _u_")

FIELDS = {
    "figures": "metric label value value_text unit qualifier share_pct change change_pct budget_completion_pct reason source_line source_page source_text",
    "spending_by_function": "class_name class_code kuan_name kuan_code xiang_name xiang_code amount unit budget_completion_pct explanation source_line source_page source_text",
    "spending_by_class": "class_name class_code amount unit share_pct source_line source_page source_text",
    "responsibilities": "n text source_line source_page",
    "subunits": "n text source_line source_page",
    "offices": "n text source_line source_page",
    "notes": "topic text source_line source_page",
    "glossary": "n term definition source_line source_page",
    "performance_scores": "subject kind score summary source_line source_page source_text",
    "performance_indicators": "table_index subject level1 level2 level3 nature target unit weight actual score deviation_reason source_line source_page",
    "tables": "table_index resource title kind rows columns source_line source_page",
    "warnings": "code message source_line source_page source_text",
    "checks": "rule severity message metrics expected actual difference source_lines",
}
NUMERIC = {"value", "share_pct", "change", "change_pct", "budget_completion_pct", "amount", "score", "n",
           "source_line", "source_page", "table_index", "rows", "columns", "expected", "actual", "difference"}


def cell(v):
    if isinstance(v, str) and v[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + v
    return "" if v is None else v


def write_resource(d: Path, name: str, fields: list[str], rows: list[dict], titles: dict | None = None) -> dict:
    full = [{f: r.get(f) for f in fields} for r in rows]
    with (d / f"{name}.csv").open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(fields)
        for r in full:
            w.writerow([cell(r[f]) for f in fields])
    (d / f"{name}.json").write_text(json.dumps(full, ensure_ascii=False, indent=1), encoding="utf-8")
    schema = {"fields": [{"name": f, "type": "number" if f in NUMERIC else "string",
                          **({"title": titles[f]} if titles and f in titles else {})} for f in fields]}
    return {"name": name, "path": f"{name}.csv", "format": "csv", "mediatype": "text/csv",
            "encoding": "utf-8", "schema": schema}


def fig(metric, label, value, line, text, unit="万元", **kw):
    return {"metric": metric, "label": label, "value": value, "value_text": f"{value:g}", "unit": unit,
            "source_line": line, "source_text": text, **kw}


def write_package(slug: str, meta: dict, res: dict[str, list[dict]], tables: list[tuple] = ()) -> None:
    d = HERE / slug
    d.mkdir(parents=True)
    resources = [write_resource(d, name, FIELDS[name].split(), rows) for name, rows in res.items()]
    for i, (title, header, body) in enumerate(tables, 1):
        name = f"table-{i:02d}"
        fields = [f"col_{j}" for j in range(1, len(header) + 1)]
        rows = [dict(zip(fields, r)) for r in body]
        resources.append(write_resource(d, name, fields, rows, dict(zip(fields, header))))
        resources[-1]["title"] = title
    desc = {"name": slug, "title": f"{meta['department']} {meta['fiscal_year']}年度{meta['kind']}",
            "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}],
            "sources": [{"title": meta["source_file"], "path": meta.get("source_url") or meta["source_file"]}],
            "created": "2025-01-01T00:00:00Z", "version": "0.1.0", "juesuan": meta, "resources": resources}
    (d / "datapackage.json").write_text(json.dumps(desc, ensure_ascii=False, indent=1), encoding="utf-8")


def kejiju_2022() -> None:
    L31 = "2022年度收、支总计1911.53万元。与2021年相比，收、支总计各减少156.01万元，下降7.55%。"
    L34 = "2022年本年收入合计1853.47万元，其中：一般公共预算财政拨款收入1853.47万元，占100%；"
    L38 = "2022年本年支出合计1892.07万元，其中：基本支出1746.06万元，占92.28%；项目支出146.01万元，占7.72%；"
    L42 = "2022年财政拨款收、支总计1905.49万元。与2021年相比2003.94，财政拨款收、支总计各减少98.45万元，下降4.91%。"
    L46 = "2022年一般公共预算财政拨款支出1890.5万元，占本年支出合计的100%。与2021年相比，一般公共预算财政拨款支出减少101.66万元，下降5.1%。"
    L72 = "2022年“三公”经费财政拨款支出决算为7.39万元，完成预算66.1%，较上年减少2.39万元，下降24.44%。"
    L74 = "2022年“三公”经费财政拨款支出决算中，因公出国（境）费支出决算0万元，占0%；公务用车购置及运行维护费支出决算6.75万元，占91.34%；公务接待费支出决算0.64万元，占8.66%。"
    L80 = "1.因公出国（境）经费支出0万元，完成预算0%。因公出国（境）支出决算与2021年持平。"
    L81 = "2.公务用车购置及运行维护费支出6.75万元,完成预算76.27%。公务用车购置及运行维护费支出决算比2021年减少0.92万元，下降11.99%。"
    L85 = "3.公务接待费支出0.64万元，完成预算27.47%。公务接待费支出决算比2021年减少1.46万元，下降69.52%。"
    L97 = "2022年，市科技局机关运行经费支出86.64万元，比2021年减少9.3万元，下降9.69%。"
    L99 = "2022年，市科技局政府采购支出总额5.42万元万元，其中：政府采购货物支出5.42万元万元、政府采购工程支出0万元、政府采购服务支出0万元。"
    figures = [
        fig("grand_total_income", "收入总计", 1911.53, 31, L31, change=-156.01, change_pct=-7.55),
        fig("grand_total_expenditure", "支出总计", 1911.53, 31, L31, change=-156.01, change_pct=-7.55),
        fig("income_total", "本年收入合计", 1853.47, 34, L34),
        fig("income_general_budget", "一般公共预算财政拨款收入", 1853.47, 34, L34, share_pct=100),
        fig("income_government_fund", "政府性基金预算财政拨款收入", 0, 34, L34, share_pct=0),
        fig("income_other", "其他收入", 0, 34, L34, share_pct=0),
        fig("expenditure_total", "本年支出合计", 1892.07, 38, L38),
        fig("expenditure_basic", "基本支出", 1746.06, 38, L38, share_pct=92.28),
        fig("expenditure_project", "项目支出", 146.01, 38, L38, share_pct=7.72),
        fig("fiscal_grand_total", "财政拨款收、支总计", 1905.49, 42, L42, change=-98.45, change_pct=-4.91),
        fig("general_budget_expenditure", "一般公共预算财政拨款支出", 1890.5, 46, L46, change=-101.66, change_pct=-5.1),
        fig("three_public_total", "“三公”经费财政拨款支出决算", 7.39, 72, L72, change=-2.39, change_pct=-24.44, budget_completion_pct=66.1),
        fig("three_public_overseas", "因公出国（境）费", 0, 80, L80, change=0, budget_completion_pct=0),
        fig("three_public_vehicles", "公务用车购置及运行维护费", 6.75, 81, L81, change=-0.92, change_pct=-11.99, budget_completion_pct=76.27),
        fig("three_public_reception", "公务接待费", 0.64, 85, L85, change=-1.46, change_pct=-69.52, budget_completion_pct=27.47),
        fig("operating_costs", "机关运行经费", 86.64, 97, L97, change=-9.3, change_pct=-9.69),
        fig("procurement_total", "政府采购支出总额", 5.42, 99, L99),
    ]
    L50 = "2022年一般公共预算财政拨款支出1890.5万元，主要用于以下方面:一般公共服务支出7.62万元，占0.4%；科学技术支出1384.03万元，占73.21%；社会保障和就业支出380万元，占20.1%；卫生健康支出0.36万元，占0.02%；住房保障支出117.12万元，占6.2%；灾害防治及应急管理支出1.38万元，占0.07%。"
    classes = [("一般公共服务支出", "201", 7.62, 0.4), ("科学技术支出", "206", 1384.03, 73.21),
               ("社会保障和就业支出", "208", 380, 20.1), ("卫生健康支出", "210", 0.36, 0.02),
               ("住房保障支出", "221", 117.12, 6.2), ("灾害防治及应急管理支出", "224", 1.38, 0.07)]
    by_class = [{"class_name": n, "class_code": c, "amount": a, "unit": "万元", "share_pct": s,
                 "source_line": 50, "source_text": L50} for n, c, a, s in classes]
    L61 = "2.科学技术（类）科学技术管理事务（款）行政运行（项）: 支出决算为546.92万元，完成预算100%，决算数等于预算数；……技术研究与开发（款）科技成果转化与扩散（项）：支出决算为19.42万元"
    items = [("一般公共服务支出", "组织事务", "其他组织事务支出", 7.62, 60),
             ("科学技术支出", "科学技术管理事务", "行政运行", 546.92, 61),
             ("科学技术支出", "科学技术管理事务", "其他科学技术管理事务支出", 2.87, 61),
             ("科学技术支出", "技术研究与开发", "科技成果转化与扩散", 19.42, 61),
             ("科学技术支出", "科技条件与服务", "机构运行", 686.64, 61),
             ("科学技术支出", "其他科学技术支出", "其他科学技术支出", 128.18, 61),
             ("社会保障和就业支出", "行政事业单位养老支出", "行政单位离退休", 143.62, 62),
             ("住房保障支出", "住房改革支出", "住房公积金", 117.12, 64)]
    by_function = [{"class_name": c, "kuan_name": k, "xiang_name": x, "amount": a, "unit": "万元",
                    "budget_completion_pct": 100, "source_line": ln, "source_text": L61 if ln == 61 else f"第{ln}行"}
                   for c, k, x, a, ln in items]
    meta = {"department": "攀枝花市科学技术局", "short_names": ["市科技局"], "province": "四川省",
            "city": "攀枝花市", "district": None, "region_path": "sichuan/panzhihua",
            "department_slug": "kexuejishuju", "fiscal_year": 2022, "kind": "部门决算", "unit": "万元",
            "source_file": "sichuan-panzhihua-kejiju-2022.txt", "sha256": "0" * 64, "source_url": None,
            "format": "txt", "encoding": "utf-8", "findings": {"error": 1, "warning": 0, "note": 0},
            "juesuan_version": "0.1.0"}
    res = {
        "figures": figures, "spending_by_class": by_class, "spending_by_function": by_function,
        "responsibilities": [{"n": 1, "text": "拟订全市创新驱动发展战略以及科技发展、引进国外智力规划和政策措施并组织实施。", "source_line": 4}],
        "subunits": [{"n": 1, "text": "攀枝花市生产力促进中心", "source_line": 22}],
        "offices": [],
        "notes": [{"topic": "operating_costs", "text": L97, "source_line": 97}],
        "glossary": [{"n": 21, "term": "“三公”经费", "definition": "指单位用财政拨款安排的因公出国（境）费、公务用车购置及运行费和公务接待费。", "source_line": 125}],
        "performance_scores": [], "performance_indicators": [], "tables": [], "warnings": [],
        "checks": [{"rule": "three_public_parts_sum", "severity": "error", "message": "“三公”经费三项之和与总数不一致",
                    "metrics": "three_public_total", "expected": 7.39, "actual": 7.39, "difference": 0, "source_lines": "72;74"}],
    }
    write_package("sichuan-panzhihua-kexuejishuju-2022", meta, res)


def kejiju_2021() -> None:
    """Second year: values = 2022 value − the 2022 report's stated change."""
    t = "（测试用第二年度）"
    figures = [
        fig("grand_total_income", "收入总计", 2067.54, 10, t + "收、支总计2067.54万元。"),
        fig("income_total", "本年收入合计", 2000.0, 12, t + "本年收入合计2000万元。"),
        fig("expenditure_total", "本年支出合计", 1990.0, 14, t + "本年支出合计1990万元。"),
        fig("expenditure_basic", "基本支出", 1800.0, 14, t + "基本支出1800万元。"),
        fig("expenditure_project", "项目支出", 190.0, 14, t + "项目支出190万元。"),
        fig("general_budget_expenditure", "一般公共预算财政拨款支出", 1992.16, 16, t + "一般公共预算财政拨款支出1992.16万元。"),
        fig("three_public_total", "“三公”经费财政拨款支出决算", 9.78, 18, t + "“三公”经费9.78万元。"),
        fig("operating_costs", "机关运行经费", 95.94, 20, t + "机关运行经费95.94万元。"),
    ]
    meta = {"department": "攀枝花市科学技术局", "short_names": ["市科技局"], "province": "四川省",
            "city": "攀枝花市", "district": None, "region_path": "sichuan/panzhihua",
            "department_slug": "kexuejishuju", "fiscal_year": 2021, "kind": "部门决算", "unit": "万元",
            "source_file": "sichuan-panzhihua-kejiju-2021.txt", "sha256": "1" * 64,
            "source_url": "https://example.org/kejiju-2021.docx", "format": "txt", "encoding": "utf-8",
            "findings": {"error": 0, "warning": 0, "note": 0}, "juesuan_version": "0.1.0"}
    res = {"figures": figures, "spending_by_class": [{"class_name": "科学技术支出", "amount": 1500.0, "unit": "万元",
                                                      "share_pct": 75.3, "source_line": 16, "source_text": t}],
           "spending_by_function": [], "checks": []}
    write_package("sichuan-panzhihua-kexuejishuju-2021", meta, res)


def hostile() -> None:
    h = HOSTILE
    figures = [
        fig("income_total", "本年收入合计" + h, 100.0, 3, h, reason=h),
        fig("income_other", h, 100.0, 3, h, share_pct=100),
        fig("expenditure_total", "本年支出合计", 90.0, 4, h),
        fig("expenditure_basic", "基本支出", 60.0, 4, h),
        fig("expenditure_project", "项目支出", 30.0, 4, h),
        fig("three_public_total", "三公", 3.0, 5, h, change=-1.0),
        fig("three_public_reception", "公务接待费", 3.0, 5, h, change=-1.0),
        fig("operating_costs", "机关运行经费", 12.5, 6, h),
    ]
    meta = {"department": "恶意局" + h, "short_names": [h, "恶意局"], "province": "测试省" + h, "city": h,
            "district": None, "region_path": "../../<script>", "department_slug": "x\"><script>alert(1)</script>",
            "fiscal_year": 2023, "kind": "部门决算" + h, "unit": "万元",
            "source_file": "../evil <script>alert(1)</script>.txt", "sha256": h,
            "source_url": "javascript:alert(1)", "format": "txt", "encoding": "utf-8",
            "findings": {"error": 0, "warning": 1, "note": 0}, "juesuan_version": "0.1.0"}
    res = {
        "figures": figures,
        "spending_by_class": [{"class_name": h, "amount": 90.0, "unit": "万元", "share_pct": 100, "source_line": 7, "source_text": h}],
        "spending_by_function": [{"class_name": h, "kuan_name": "</script><script>alert(2)</script>", "xiang_name": h,
                                  "amount": 90.0, "unit": "万元", "source_line": 8, "source_text": h, "explanation": h}],
        "responsibilities": [{"n": 1, "text": h, "source_line": 9}],
        "subunits": [{"n": 1, "text": "[x](javascript:alert(1))", "source_line": 10}],
        "offices": [{"n": 1, "text": h, "source_line": 11}],
        "notes": [{"topic": h, "text": h, "source_line": 12}],
        "glossary": [{"n": 1, "term": h, "definition": h, "source_line": 13}],
        "performance_scores": [{"subject": h, "kind": "project", "score": 90, "summary": h, "source_line": 14, "source_text": h}],
        "performance_indicators": [{"table_index": 1, "subject": h, "level1": h, "level2": h, "level3": h, "target": h,
                                    "actual": h, "score": "5", "deviation_reason": h, "source_line": 15}],
        "tables": [{"table_index": 1, "resource": "table-01", "title": h, "kind": "table", "rows": 1, "columns": 2, "source_line": 16}],
        "warnings": [{"code": "stray_number", "message": h, "source_line": 17, "source_text": h}],
        "checks": [{"rule": h, "severity": "warning", "message": h, "metrics": h, "expected": 1, "actual": 2,
                    "difference": 1, "source_lines": "3"}],
    }
    write_package("hostile-2023", meta, res, tables=[(h, [h, "金额"], [[h, "=HYPERLINK(\"http://evil\")"]])])


if __name__ == "__main__":
    shutil.rmtree(HERE, ignore_errors=True)
    kejiju_2022()
    kejiju_2021()
    hostile()
    print(f"wrote {HERE}")
