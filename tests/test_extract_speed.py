"""Speed-ups in the parser must not change what it reads: each fast path is checked against
the plain rule it replaces, on the sample reports and on hand-picked edge cases."""

from __future__ import annotations

from pathlib import Path

import pytest

from juesuan.parse import identity, patterns
from juesuan.read import read_report
from juesuan.read.document import Paragraph
from juesuan.read.normalize import _ANY_WORK, _traditional_chars, has_traditional, normalize_text

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "reports").glob("*.txt"))

EDGE_MONEY = [
    "1,234元", "1.2.3元", "a1,2元", "12,345万元", "元", "1元", ",5元", "x.5元", "5.元", "1 元",
    "2,3,4万元", "共9.5万元和10元", "0.00万元万元", "第1,2项10元", "3.14 万元，5元",
]


@pytest.fixture(scope="module")
def paragraphs() -> list[str]:
    texts = [b.text for p in SAMPLES for b in read_report(p).blocks if isinstance(b, Paragraph)]
    return texts + EDGE_MONEY


def test_fast_money_pattern_finds_exactly_what_money_finds(paragraphs):
    def spans(rx, text):
        return [(m.start(), m.end(), m.group("unit")) for m in rx.finditer(text)]

    for text in paragraphs:
        assert spans(identity._MONEY_FAST, text) == spans(identity.MONEY, text), text
    assert spans(identity._MONEY_FAST, "共9.5万元和10元") == [(1, 6, "万元"), (7, 10, "元")]


def test_prefilter_words_occur_in_every_match(paragraphs):
    """A paragraph without the key words is skipped: so every match must contain one."""
    for text in paragraphs:
        for rx, words in ((patterns.CHANGE, patterns.CHANGE_WORDS), (patterns.FLAT, patterns.FLAT_WORDS),
                          (patterns.REASON, patterns.REASON_WORDS)):
            for m in rx.finditer(text):
                assert any(w in m.group(0) for w in words), (m.group(0), words)


def test_quick_group_test_is_in_every_ambiguous_group(paragraphs):
    from juesuan.parse import totals
    from juesuan.parse.numbers import NUM_MONEY

    assert identity._MONEY_FAST is NUM_MONEY  # the pattern checked above is the one totals uses
    for text in paragraphs + ["合计1,234万元", "各是120，130万元", "1,234,567元"]:
        for m in totals._AMBIGUOUS_GROUPS.finditer(text):
            assert totals._GROUP.search(m.group(0)), m.group(0)
    assert totals._AMBIGUOUS_GROUPS.search("合计1,234万元")


def test_traditional_test_agrees_with_the_character_set():
    chars = _traditional_chars()
    for text in ("财政拨款收入", "財政撥款收入", "", "abc", "国庫", "万元"):
        assert has_traditional(text) == (not chars.isdisjoint(text)), text


# (input, canonical form by docs/developers/text-normalisation.md): plain cells that take the
# shortcut, and texts that need each rule.
NORMALISED = [
    ("科学技术支出", "科学技术支出"),
    ("1911.53", "1911.53"),
    ("合计：", "合计："),
    ("（一）收入", "（一）收入"),
    ("  两个  空格 ", "两个空格"),
    ("ａｂｃ１２３", "abc123"),
    ("1,234,567.00", "1234567.00"),
    ("网址：//x", "网址://x"),
    ("[bookmark: _Toc1]标题", "标题"),
    ("１，９１１．５３万元", "1911.53万元"),
    ("\u3000缩进", "缩进"),
    ("a\u00a0b", "a b"),
    ("行政运行(项)", "行政运行（项）"),
]


@pytest.mark.parametrize("text,expected", NORMALISED)
def test_plain_cell_shortcut_keeps_the_normalisation(text, expected):
    assert normalize_text(text, t2s=False) == expected
    if _ANY_WORK.search(text) is None:
        assert expected == text  # the shortcut is only taken where no rule applies
    assert normalize_text(expected, t2s=False) == expected  # canonical text is stable


def test_money_mention_start_filter_loses_no_match(paragraphs):
    import re

    assert patterns.MONEY_MENTION.pattern.startswith(patterns._NAME_START)
    plain = re.compile(patterns.MONEY_MENTION.pattern[len(patterns._NAME_START):])
    extra = ["“三公”经费支出决算为12.5万元", "'三公'经费支出为3万元", "因公出国(境)费用1.2万元", "授予中小企业合同金额5万元"]
    for text in paragraphs + extra:
        got = [(m.span(), m.groupdict()) for m in patterns.MONEY_MENTION.finditer(text)]
        assert got == [(m.span(), m.groupdict()) for m in plain.finditer(text)], text
    assert [m.group("label") for m in patterns.MONEY_MENTION.finditer(extra[0])] == ["“三公”经费支出决算"]


def test_note_start_characters_cover_every_note_pattern():
    """Every way a note can start (template wording, after its numbering) passes the first-character test."""
    from juesuan.parse import three_public

    starts = {
        "three_public_overseas": ["因公出国（境）费支出0万元", "因公出国(境)费用"],
        "three_public_vehicles": ["公务用车购置及运行费支出1.2万元"],
        "vehicle_purchase": ["公务用车购置费0万元", "其中：公务用车购置费0万元", "其中:公务用车购置"],
        "vehicle_operation": ["公务用车运行维护费支出1.2万元"],
        "three_public_reception": ["公务接待费支出0.3万元"],
        "reception_domestic": ["国内公务接待6批次"],
        "reception_foreign": ["外事接待0批次"],
        "personnel_expenses": ["人员经费1.2万元"],
        "public_expenses": ["公用经费0.5万元"],
    }
    patterns_by_topic = dict(three_public.NOTE_STARTS)
    assert set(starts) == set(patterns_by_topic)
    for topic, bodies in starts.items():
        for body in bodies:
            assert patterns_by_topic[topic].match(body), (topic, body)
            assert body[:1] in three_public._NOTE_FIRST, body
