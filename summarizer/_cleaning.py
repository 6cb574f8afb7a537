"""Cleaning: strip the noise of scraped pages before any engine or model sees the text.

Each step proposes edits (delete or replace a span) over the text the previous step left;
applying them yields the next text and an `OffsetMap` back to the previous one. Chained,
the maps trace any span of the cleaned text to the document as loaded, which is how facts
keep pointing at the source. Every step reports what it removed, so a user can see that
nothing real went missing.

The rules err towards keeping text: a line is removed only when it is short or shaped like
chrome (link-farm lists, share bars, credits), never because it merely contains a comma
list or a word such as 来源.
"""

from __future__ import annotations

import os
import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import accumulate, pairwise
from operator import itemgetter
from typing import NamedTuple

from summarizer._schemas import Byline, CleaningReport, CleaningStep
from summarizer._scripts import FULLWIDTH_ALNUM, FULLWIDTH_OFFSET, HAN

_SENTENCE_END = "。！？!?…"
_PROSE_END = _SENTENCE_END + "."
_SAMPLE_CHARS = 60
_MAX_SAMPLES = 3


class Edit(NamedTuple):
    """Replace text[start:end]; a tuple, since a 100 MB page can need millions of them."""

    start: int
    end: int
    replacement: str = ""
    kind: str = ""


class OffsetMap:
    """Positions in an edited text, mapped back to the text before the edits."""

    def __init__(
        self,
        new_starts: list[int],
        old_starts: list[int],
        old_lens: list[int],
        exact: list[bool],
        old_len: int,
    ) -> None:
        self.new_starts = new_starts
        self.old_starts = old_starts
        self.old_lens = old_lens
        self.exact = exact
        self.old_len = old_len

    def to_old(self, pos: int) -> int:
        i = bisect_right(self.new_starts, pos) - 1
        if i < 0:
            return 0
        offset = pos - self.new_starts[i]
        if not self.exact[i]:
            offset = min(offset, self.old_lens[i])
        return min(self.old_starts[i] + offset, self.old_len)


def apply_edits(text: str, edits: list[Edit]) -> tuple[str, OffsetMap]:
    """Apply non-overlapping edits; overlapping ones after the first are skipped."""
    offset_map = OffsetMap([], [], [], [], len(text))
    return _apply(text, edits, offset_map, 0, 0), offset_map


def _apply(text: str, edits: list[Edit], into: OffsetMap, new_at: int, old_at: int) -> str:
    """`apply_edits` for `text` found at `old_at` before and `new_at` after the edits: its
    segments go on the end of `into`, so the blocks of a long text share one map."""
    pieces: list[str] = []
    new_starts, old_starts, old_lens, exact = (
        into.new_starts,
        into.old_starts,
        into.old_lens,
        into.exact,
    )
    new_pos = new_at
    old_pos = 0
    for start, end, replacement, _ in sorted(edits, key=_SPAN):
        if start < old_pos:
            continue
        if start > old_pos:  # the text kept before the edit
            new_starts.append(new_pos)
            old_starts.append(old_at + old_pos)
            old_lens.append(start - old_pos)
            exact.append(True)
            pieces.append(text[old_pos:start])
            new_pos += start - old_pos
        if replacement:
            new_starts.append(new_pos)
            old_starts.append(old_at + start)
            old_lens.append(end - start)
            exact.append(len(replacement) == end - start)
            pieces.append(replacement)
            new_pos += len(replacement)
        old_pos = end
    if old_pos < len(text):
        new_starts.append(new_pos)
        old_starts.append(old_at + old_pos)
        old_lens.append(len(text) - old_pos)
        exact.append(True)
        pieces.append(text[old_pos:])
    return "".join(pieces)


_SPAN = itemgetter(0, 1)


@dataclass(frozen=True)
class CleanedText:
    """The cleaned text, the report of what went, and the way back to the original."""

    text: str
    original: str
    report: CleaningReport
    byline: Byline
    maps: tuple[OffsetMap, ...] = field(repr=False)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Trace a span of the cleaned text to the span of the original it came from."""
        if end <= start:
            pos = self._back(start)
            return pos, pos
        return self._back(start), self._back(end - 1) + 1

    def _back(self, pos: int) -> int:
        for offset_map in reversed(self.maps):
            pos = offset_map.to_old(pos)
        return pos


# --- steps -----------------------------------------------------------------------------


@dataclass
class Context:
    """What the steps share besides the text.

    The byline they fill, what a line-by-line step remembers from one block of a long
    text to the next, and the text around the block for the steps that judge a line by
    its neighbours (see `clean`).
    """

    byline: Byline = field(default_factory=Byline)
    in_related: bool = False  # page_chrome: inside a list of related links
    in_references: bool = False  # page_chrome: inside a reference list
    seen: set[str] = field(default_factory=set)  # repeats: the paragraphs met so far,
    # ...and the last ones a cut copy in the next block can belong to
    repeat_tail: list[tuple[tuple[int, int, int], str]] = field(default_factory=list)
    offset: int = 0  # where the block starts in the text the step reads
    starts_text: bool = True  # whitespace: this block is where the text starts,
    ends_text: bool = True  # ...and where it ends
    before: str = ""  # up to AROUND_CHARS of the text before the block,
    after: str = ""  # ...and after it, as this step sees them


Step = Callable[[str, Context], list[Edit]]

_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_ODD_SPACE = "\u00a0\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
_FULLWIDTH = FULLWIDTH_ALNUM + "％"
_NORMAL_FORMS = {  # what each character becomes
    **dict.fromkeys(_INVISIBLE, ""),
    **dict.fromkeys(_ODD_SPACE, " "),
    **{c: chr(ord(c) - FULLWIDTH_OFFSET) for c in _FULLWIDTH},
}
# Characters a terminal obeys or that reorder what it shows: C0 controls but tab and line
# feed (ESC starts escape sequences), DEL, C1 controls (CSI is one), the bidi embeddings,
# overrides and isolates ("Trojan Source"), and lone surrogates, which UTF-8 cannot write.
# The line breaks among them that str.splitlines knows (VT, FF, FS, GS, RS, NEL) become "\n",
# which is what lines and sentences took them for already; surrogates become U+FFFD; the
# rest go. Bidi marks (LRM, RLM, ALM) stay: right-to-left text needs them.
_CONTROL_BREAKS = "\x0b\x0c\x1c\x1d\x1e\x85"
_CONTROLS = "\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f\u202a-\u202e\u2066-\u2069"
_SURROGATES = "\ud800-\udfff"
_CONTROL_KIND = "control_characters"
# One class scans fastest.
_NORMALIZE = re.compile(
    f"[\r{_INVISIBLE}{_ODD_SPACE}{_FULLWIDTH}{_CONTROL_BREAKS}{_CONTROLS}{_SURROGATES}]"
)
# An escape sequence goes whole, not only its ESC: CSI ("\x1b[31m", 8-bit "\x9b31m"), OSC
# ("\x1b]0;title\x07") and the two-character ones.
_ESCAPE_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b\n]{0,256}(?:\x07|\x1b\\)|\x1b[@-Z\\-_]"
)


def normalize(text: str, context: Context) -> list[Edit]:
    """Line endings, invisible characters, odd spaces, full-width letters and digits, and
    control characters (counted apart, as `control_characters`).

    Full-width punctuation stays: it is correct Chinese typography, and rewriting it would
    change quotes the model must copy verbatim.
    """
    kind = "normalization"
    edits = []
    done = 0  # the end of the last escape sequence, whose characters are already removed
    for m in _NORMALIZE.finditer(text):
        start = m.start()
        found = text[start]
        if start < done:
            continue
        if found == "\r":
            edits.append(Edit(start, start + 1 + text.startswith("\n", start + 1), "\n", kind))
        elif found in _NORMAL_FORMS:
            edits.append(Edit(start, start + 1, _NORMAL_FORMS[found], kind))
        elif found in "\x1b\x9b" and (sequence := _ESCAPE_SEQUENCE.match(text, start)):
            done = sequence.end()
            edits.append(Edit(start, done, "", _CONTROL_KIND))
        else:
            edits.append(Edit(start, start + 1, _control_form(found), _CONTROL_KIND))
    return edits


def _control_form(found: str) -> str:
    if found in _CONTROL_BREAKS:
        return "\n"
    return "\ufffd" if "\ud800" <= found <= "\udfff" else ""


_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_SYLLABLE = rf"(?:[zcs]h|[bpmfdtnlgkhjqxrzcsyw])?[aeiouüv{_TONED}]{{1,4}}(?:ng|n|r)?"
# The bracket comes first and the lookbehind second, so the regex engine can skip ahead to
# brackets instead of trying the lookbehind at every character; one pattern per bracket, as
# the engine skips ahead to a literal character much faster than to a class of them.
_PINYIN = tuple(
    re.compile(rf"{bracket}(?<=[{HAN}]{bracket})(?=[a-zü{_TONED}]*[{_TONED}])({_SYLLABLE})[)）]")
    for bracket in (r"\(", "（")
)


def pinyin_artifacts(text: str, context: Context) -> list[Edit]:
    """`統(tǒng)戰(zhàn)` -> `統戰`: a script converter's pinyin left after each character.

    Only a single tone-marked syllable right after a Han character counts, so real
    parentheticals such as `(2025年)` or `(含里辦公處)` stay.
    """
    found = sorted(m.span() for pattern in _PINYIN for m in pattern.finditer(text))
    return [Edit(start, end, "", "pinyin_artifacts") for start, end in found]


def _lines(text: str) -> Iterator[tuple[int, str]]:
    """(start, line with its line break) for every line of `text`, counted in C (a
    generator's step per line cost the line-by-line steps a tenth of their time)."""
    lines = text.splitlines(keepends=True)
    return zip(accumulate(map(len, lines), initial=0), lines, strict=False)


_LINKFARM_MARKER = re.compile(r"(蜘蛛池|友情链接|友情鏈接|站群|外链|外鏈)\S{0,6}[:：]")
_PIPES = re.compile(r"\s*[|丨｜┃¦]\s*")
_PIPE_CHARS = re.compile(r"[|丨｜┃¦]")
_COMMA_CHARS = re.compile(r"[,，、;；]")
_COMMAS = re.compile(r"\s*[,，、;；]\s*")


def _is_link_farm(line: str, text: str, start: int, end: int, context: Context) -> bool:
    """A line of link-farm titles: after a marker (友情链接：), between pipes, or joined by
    commas; `text[start:end]` is the line, for `_is_titles_line` to see its neighbours."""
    if _LINKFARM_MARKER.search(line, 0, 40):
        return True
    if line.startswith("|") and line.endswith("|"):  # a Markdown table row
        return False
    if _has_pipe(line) and len(_PIPE_CHARS.findall(line)) >= 5:
        parts = [p for p in _PIPES.split(line) if p]
        if len(parts) >= 6 and _median_len(parts) <= 24:
            return True
    if line[-1:] in _SENTENCE_END or line.endswith("."):
        return False
    commas = len(_COMMA_CHARS.findall(line))
    if commas >= 9:
        parts = [p for p in _COMMAS.split(line) if p]
        if len(parts) >= 10 and _median_len(parts) <= (16 if _is_latin(line) else 12):
            return True
    few = _TITLES_MIN - 1  # separators: fewer than this make no title list (cheap to tell)
    if (commas < few and (line.count(" ") < few or line.isascii())) or "。" in line:
        return False
    return _is_titles_line(line, commas, text, start, end, context)


_TITLES_MIN = 6  # items: fewer are a heading or a short list
_TITLE_SEPARATORS = re.compile(r"[ \t]*[,，、;；][ \t]*|[ \t]+")
_LATIN_SEPARATORS = re.compile(r"[ \t]*[,，、;；][ \t]*")
_LIST_LABEL = re.compile(r"[^:：\s]{1,16}[:：][ \t]*")
# What makes a clause of an item: a character that ties words into one (a particle,
# preposition or conjunction, 等 closing a list), or a verb that opens it (坚持规划引领、
# 加强资金保障…); a list of titles or names seldom has either.
_CLAUSE = re.compile(
    "[的了是把被将將对對为為于於与與及并並而也都就还還又让讓使着著过過等]"
    "|^(?:坚持|堅持|加强|加強|推动|推動|推进|推進|完善|健全|建立|建设|建設|开展|開展|实施|實施"
    "|提升|提高|促进|促進|深化|落实|落實|强化|強化|优化|優化|加快|打造|发展|發展|构建|構建"
    "|实现|實現|增强|增強|扩大|擴大|支持|保障|提供|组织|組織|举办|舉辦|培育|推广|推廣|引导|引導"
    "|鼓励|鼓勵|规范|規範|加大|做好|抓好|确保|確保|创新|創新|探索|围绕|圍繞|聚焦|包括|覆盖|覆蓋)"
)
_SENTENCE_MARK = re.compile("[。！？!?]")
_LIST_END = re.compile("[等和及与與]")
_KEEP_LABELS = ("关键词", "關鍵詞", "关键字", "關鍵字", "key words", "keywords")


def _is_titles_line(
    line: str, commas: int, text: str, start: int, end: int, context: Context
) -> bool:
    """`_is_title_list`, for a line on its own: a line of a hard-wrapped paragraph,
    between lines as wide that are no title lists, is a clause cut short there."""
    if not _is_title_list(line, commas):
        return False
    for neighbour in _neighbours(text, start, end, context):
        if abs(len(neighbour) - len(line)) <= len(line) * 0.2 and not _is_title_list(
            neighbour, len(_COMMA_CHARS.findall(neighbour))
        ):
            return False
    return True


def _neighbours(text: str, start: int, end: int, context: Context) -> tuple[str, str]:
    """The lines before and after `text[start:end]`, stripped, across the block's edges."""
    if start:
        previous = text[text.rfind("\n", 0, start - 1) + 1 : start]
    else:
        previous = context.before[context.before.rfind("\n", 0, len(context.before) - 1) + 1 :]
    if end < len(text):
        following = text[end : text.find("\n", end) + 1 or len(text)]
    else:
        following = context.after[: context.after.find("\n") + 1 or len(context.after)]
    return previous.strip(), following.strip()


def _is_title_list(line: str, commas: int) -> bool:
    """A line of short titles joined by commas, 顿号 or spaces: a link farm's head line.

    Judged by shape alone, as the titles' words change from farm to farm: at least
    _TITLES_MIN items, of title length, alike (in Chinese) or capitalised (in English),
    one kind of separator, no sentence punctuation and few clause words. A comma list in
    a sentence ends in 。 or has clauses around it; names and place names are shorter.
    """
    if len(line) > 400:
        return False
    if commas < _TITLES_MIN - 1 and (
        line.count(" ") < _TITLES_MIN - 1 or line.isascii() or _is_latin(line)
    ):
        return False  # too few separators: Latin titles are split at commas only
    body = line[label.end() :] if (label := _LIST_LABEL.match(line)) else line
    if label and label.group().lower().startswith(_KEEP_LABELS):
        return False
    if _SENTENCE_MARK.search(body) or _CREDIT_FIELD.search(line) or _REPORTER.search(line):
        return False
    latin = _is_latin(body)
    items = [p for p in (_LATIN_SEPARATORS if latin else _TITLE_SEPARATORS).split(body) if p]
    separators = {"，" if c == "," else c for c in _COMMA_CHARS.findall(body)}
    if len(items) < _TITLES_MIN or len(separators) > 1:  # prose mixes 、 and ，
        return False
    lengths = sorted(map(len, items))
    median, longest, n = lengths[len(lengths) // 2], lengths[-1], len(items)
    if latin:
        titled = sum(p[0].isupper() or p[0].isdigit() for p in items)
        return (
            median <= 24
            and longest <= 40
            and titled * 4 >= n * 3
            and not any(p.split()[0].lower() in ("and", "or", "&") for p in items)
        )
    if _LIST_END.search(items[-1]):  # `A、B、C和D`, `…技能培训等服务`: a sentence's list
        return False
    clauses = sum(bool(_CLAUSE.search(p)) for p in items)
    numbers = sum(any(c.isdigit() for c in p) for p in items)
    return 4 <= median <= 10 and longest <= 16 and clauses * 4 <= n and numbers * 3 <= n


def _has_pipe(line: str) -> bool:
    """Whether `_PIPE_CHARS` occurs at all: five substring searches beat one regex scan."""
    return "|" in line or "丨" in line or "｜" in line or "┃" in line or "¦" in line


def _median_len(parts: list[str]) -> int:
    lengths = sorted(len(p) for p in parts)
    return lengths[len(lengths) // 2]


def _is_latin(text: str) -> bool:
    return not re.search(f"[{HAN}]", text)


_CHROME_LINE = re.compile(
    r"""^(?:
        [编編]\s*[辑輯]\s*[推荐薦]{2}
      | 往\s*[|丨｜]?\s*期\s*[|丨｜]?\s*[推回]\s*[|丨｜]?\s*[荐薦顾顧]
      | (?:热门|熱門|精彩|猜你|延伸|推荐|推薦|相关|相關|更多)\s*(?:推荐|推薦|阅读|閱讀|喜欢|喜歡|新闻|新聞|文章|链接|鏈接|报道|報道)
      | (?:扫码|掃碼|扫描|掃描|长按|長按|点击|點擊|识别|識別).{0,20}(?:关注|關注|订阅|訂閱|二维码|二維碼|原文|公众号|公眾號).{0,10}
      | (?:关注|關注)(?:我们|我們|公众号|公眾號).{0,16}
      | 分享(?:到|至)?\s*[:：]?.{0,40}
      | (?:返回顶部|返回頂部|返回首页|返回首頁|打印本页|打印本頁|关闭窗口|關閉窗口|收藏本文|字号|字號)(?:\s*[|丨｜].{0,30})?
      | (?:上一篇|下一篇|上一條|下一條)\s*[:：].{0,60}
      | 【?(?:打印|关闭|關閉|纠错|糾錯|收藏)】?
      | (?:版权所有|版權所有|copyright|©).{0,100}
      | [(（]?(?:完|全文完|待续|待續|未完待续|未完待續)[)）]?
      | share(?:\s+this(?:\s+article|\s+story)?|\s+on)?\s*[:：]?.{0,80}
      | (?:related|recommended|more|popular|trending|top)\s+(?:articles|stories|posts|news|links|reads)\s*[:：]?
      | read\s+(?:more|next|also)\s*[:：]?
      | you\s+(?:may|might)\s+also\s+like\s*[:：]?
      | (?:subscribe|sign\s+up)\b.{0,40}\bnewsletter.{0,40}
      | .{0,60}\b(?:in\s+your\s+inbox|email\s+address\s+to\s+(?:sign\s+up|subscribe))\b.{0,60}
      | advertisement | 广告 | 廣告
      | [-–—·•]\s*[\w]{1,6}(?:导读|導讀|频道|頻道|首页|首頁)
    )$""",
    re.X | re.I,
)
_SHARE_WORDS = re.compile(
    r"微信|微博|QQ|朋友圈|豆瓣|facebook|twitter|linkedin|email|whatsapp|weibo", re.I
)
# Chrome headers after which a run of short headline lines is a list of links.
_LINK_LIST_HEAD = re.compile(
    r"推荐|推薦|阅读|閱讀|往期|related|recommended|read|like|stories", re.I
)

_CREDIT_FIELD = re.compile(
    r"(?:来源|來源|责任编辑|責任編輯|责编|責編|编辑|編輯|值班|作者|校对|校對|审核|審核|审校|審校"
    r"|监制|監製|出品|策划|策劃|摄影|攝影|供图|供圖)\s*[:：/]"
    r"|^(?:by|editor|edited\s+by|source|reporting\s+by|written\s+by|photos?\s+by)\b\s*[:：]?\s*\S",
    re.I,
)
_REPORTER = re.compile(r"(?:记者|記者|通讯员|通訊員|实习生|實習生)")
_DATELINE = re.compile(
    r"^(?:published|updated|posted|last\s+updated)\b.{0,20}\d{4}.{0,30}$|^发布时间|^發佈時間|^发布日期|^發布日期",
    re.I,
)
_DATETIME = re.compile(
    r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?"
)


def _is_chrome(line: str) -> bool:
    if len(line) > 120 or not _CHROME_LINE.match(line):
        return False
    if line.lower().startswith(("share", "分享")):
        return bool(_SHARE_WORDS.search(line)) or len(line) <= 6
    return True


def _is_credit(line: str) -> bool:
    """A short line of credits: 来源/编辑/值班 fields, or names next to 记者."""
    if len(line) > 100 or line[-1:] in "。！？":
        return False
    if _CREDIT_FIELD.search(line):
        return True
    if _REPORTER.search(line) and len(line) <= 40 and not re.search(r"[，,。；]", line):
        return True
    if line[:1].isdigit() and (dated := _DATED_NAMES.fullmatch(line)):
        return not _NOT_NAMES.search(dated.group("names"))
    if line[-1:] in "期)）" and _JOURNAL_ISSUE.fullmatch(line):
        return True
    return bool(_DATETIME.fullmatch(line) or _DATELINE.match(line))


# `2023-11-09 07:57:42范婷婷`: the date a page gives its author's name, glued on.
_NOT_NAMES = re.compile(
    r"星期|礼拜|禮拜|周[一二三四五六日天]|上午|下午|晚上|凌晨|北京时间|北京時間|发布|發布|發佈|更新"
    r"|浏览|瀏覽|阅读|閱讀|点击|點擊|来源|來源|原创|原創|转载|轉載|评论|評論|分享|收藏|打印|字号|字號"
)
_DATED_NAMES = re.compile(
    rf"(?P<date>{_DATETIME.pattern})[ \t]*(?P<names>[{HAN}]{{2,4}}(?:[ \t、，,]+[{HAN}]{{2,4}}){{0,3}})"
)
# `新西部 2023年9期`, `《新西部》2023年第9期(上)`: the journal and issue a page was taken from.
_JOURNAL_ISSUE = re.compile(
    r"《?(?P<name>[^\s\d《》:：，,。][^《》:：，,。]{1,20}?)》?[ \t]*[,，]?[ \t]*"
    r"(?P<issue>(?:19|20)\d{2}[ \t]*年[ \t]*第?[ \t]*\d{1,3}[ \t]*期)(?:[ \t]*[(（][^)）]{1,6}[)）])?"
)


def page_chrome(text: str, context: Context) -> list[Edit]:
    """Whole lines of page furniture: link farms, share bars, credits, related-link blocks,
    reference lists."""
    edits: list[Edit] = []
    in_related, in_references = context.in_related, context.in_references
    for start, raw in _lines(text):
        end = start + len(raw)
        line = raw.strip()
        if not line:
            in_related = False
            continue
        if in_references:
            if _is_reference(line):
                edits.append(Edit(start, end, "", "references"))
                continue
            in_references = False
        first = line[0]
        if (  # a paragraph: the checks below would say so, slower
            len(line) > 120
            and line[-1] in _PROSE_END
            and first not in _REFERENCES_FIRST
            and not (_LINKFARM_MARKER.search(line, 0, 40) or _has_pipe(line))
        ):
            in_related = False
            continue
        if first in _REFERENCES_FIRST and _is_references_head(line):
            edits.append(Edit(start, end, "", "references"))
            in_related, in_references = False, True
        elif _is_link_farm(line, text, start, end, context):
            edits.append(Edit(start, end, "", "link_farm"))
        elif len(line) > 120:  # too long for chrome, a credit or a related link: prose
            in_related = False
        elif _is_chrome(line):
            edits.append(Edit(start, end, "", "page_chrome"))
            in_related = bool(_LINK_LIST_HEAD.search(_PIPES.sub("", line)))
        elif (
            in_related
            and len(line) <= (100 if _is_latin(line) else 40)
            and (line[-1:] not in _PROSE_END)
        ):
            edits.append(Edit(start, end, "", "page_chrome"))
        elif _is_credit(line):
            edits.append(Edit(start, end, "", "credits"))
            _read_credits(line, context.byline)
            in_related = False
        else:
            in_related = False
    context.in_related, context.in_references = in_related, in_references
    return edits


_REFERENCES_FIRST = frozenset("参參注註[［【〔(（RrBbWw")
_REFERENCE_NUMBER = r"[\[［【〔(（]?[ \t]*\d{1,3}[ \t]*[\]］】〕)）.．、]"
_REFERENCES_HEAD = re.compile(
    r"[\[［【〔(（]?[ \t]*(?:参[ \t]*考[ \t]*文[ \t]*献|參[ \t]*考[ \t]*文[ \t]*獻|参考资料|參考資料"
    r"|参考书目|參考書目|注[ \t]*释|註[ \t]*釋|references|bibliography|works[ \t]+cited)"
    rf"[ \t]*[\]］】〕)）]?[ \t]*[:：]?(?P<entry>[ \t]*{_REFERENCE_NUMBER}.*)?",
    re.I,
)
_REFERENCE_ENTRY = re.compile(_REFERENCE_NUMBER)
# What a reference's continuation line has: a year, a document type mark ([J], [M],
# [EB/OL]), book-title marks, pages, et al., a DOI or a link.
_REFERENCE_PARTS = re.compile(
    r"(?:19|20)\d{2}|\[[A-Z]{1,2}(?:/OL)?\]|[《》]|\bpp?\.[ \t]*\d|[页頁]"
    r"|\bet[ \t]+al\b|\bdoi\b|https?://|\bvol\.|\bno\.[ \t]*\d|\bibid\b|同上",
    re.I,
)


def _is_references_head(line: str) -> bool:
    """`参考文献`, `[参考文献]`, `References:`, alone or before the first entry."""
    head = _REFERENCES_HEAD.fullmatch(line)
    return head is not None and (
        len(line) <= 24 or (head.group("entry") is not None and len(line) <= 400)
    )


def _is_reference(line: str) -> bool:
    """A line of a reference list: a numbered entry, or a short line that goes on one."""
    if _REFERENCE_ENTRY.match(line):
        return len(line) <= 400
    stops = line.count("。") + line.count("！") + line.count("？")
    return len(line) <= 200 and stops <= 1 and bool(_REFERENCE_PARTS.search(line))


_SOURCE = re.compile(
    r"(?:来源|來源|source)\s*[:：]\s*(.+?)\s*(?=(?:责任编辑|責任編輯|编辑|編輯|作者|记者|記者|editor|by\b|[|丨｜]|$))",
    re.I,
)
_ROLES = frozenset(
    "记者 記者 通讯员 通訊員 实习生 實習生 编辑 編輯 作者 摄影 攝影 责任编辑 責任編輯".split()
)
_ENGLISH_DATE = re.compile(
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2},\s+\d{4}", re.I
)
_NAME = rf"(?:(?!丨)[{HAN}]){{2,4}}"
_EDITOR = re.compile(
    r"(?:责任编辑|責任編輯|责编|責編|编辑|編輯|editor|edited\s+by)\s*[:：/]?\s*"
    rf"({_NAME}|[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*)*)",
    re.I,
)
_AUTHOR = re.compile(
    r"(?:作者|记者|記者|通讯员|通訊員)\s*[:：]?\s*"
    rf"({_NAME}(?:\s+{_NAME})*)"
    r"|^(?:by|written\s+by|reporting\s+by)\s*[:：]?\s*([A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*)*)",
    re.I,
)


def _read_credits(line: str, byline: Byline) -> None:
    if byline.date is None and (date := _DATETIME.search(line) or _ENGLISH_DATE.search(line)):
        byline.date = date.group().strip()
    if byline.source is None and (source := _SOURCE.search(line)):
        byline.source = _DATETIME.sub("", source.group(1)).strip() or None
    for match in _EDITOR.finditer(line):
        _add_names(byline.editors, match.group(1))
    for match in _AUTHOR.finditer(line):
        _add_names(byline.authors, match.group(1) or match.group(2) or "")
    if line[:1].isdigit() and (dated := _DATED_NAMES.fullmatch(line)):
        _add_names(byline.authors, re.sub(r"[、，,]", " ", dated.group("names")))
    elif byline.source is None and (journal := _JOURNAL_ISSUE.fullmatch(line)):
        byline.source = f"{journal.group('name').strip()} {''.join(journal.group('issue').split())}"


def _add_names(names: list[str], found: str) -> None:
    parts = [found.strip()] if _is_latin(found) else [p for p in found.split() if p not in _ROLES]
    for name in parts:
        if name and name not in names:
            names.append(name)


_END_CREDIT = re.compile(
    rf"[。！？!?.”」』](?P<tail>[ \t]*[(（][ \t]*(?P<name>(?:记者|記者|通讯员|通訊員|作者|编辑|編輯)?[ \t]*"
    rf"[{HAN}]{{2,4}}(?:[ \t]+[{HAN}]{{2,4}}){{0,3}})[ \t]*[)）][ \t]*)$",
    re.M,
)
_NOT_A_NAME = {"完", "全文完", "待续", "待續", "未完待续", "未完待續", "图", "圖", "图片", "圖片"}


_CLOSING_BRACKETS = (re.compile(r"\)[ \t]*$", re.M), re.compile(r"）[ \t]*$", re.M))


def trailing_credits(text: str, context: Context) -> list[Edit]:
    """A reporter's name in brackets closing a paragraph: `……贡献力量。(吴卉)`."""
    # Only lines that end in a bracket can match; finding those first skips the rest fast.
    line_ends = sorted({m.end() for pattern in _CLOSING_BRACKETS for m in pattern.finditer(text)})
    found = (_END_CREDIT.search(text, text.rfind("\n", 0, end) + 1, end) for end in line_ends)
    edits = []
    for match in (m for m in found if m):
        content = match.group("name").strip()
        if content not in _NOT_A_NAME:
            for name in re.sub(r"^(?:记者|記者|通讯员|通訊員|作者|编辑|編輯)", "", content).split():
                if name not in context.byline.authors:
                    context.byline.authors.append(name)
        edits.append(Edit(match.start("tail"), match.end("tail"), "", "credits"))
    return edits


def markdown_syntax(text: str, context: Context) -> list[Edit]:
    """Heading marks, emphasis, link targets and fences, which are markup, not prose."""
    edits: list[Edit] = []
    for m in re.finditer(r"^[ \t]*(?:#{1,6}[ \t]+|[-*+][ \t]+|>[ \t]?|```.*$)", text, re.M):
        edits.append(Edit(m.start(), m.end(), "", "markdown"))
    for m in re.finditer(r"!\[[^\]\n]*\]\([^)\n]*\)", text):
        edits.append(Edit(m.start(), m.end(), "", "markdown"))
    for m in re.finditer(r"(?<!!)\[([^\]\n]+)\](\([^)\n]*\))", text):
        edits.append(Edit(m.start(), m.start() + 1, "", "markdown"))
        edits.append(Edit(m.start(2) - 1, m.end(2), "", "markdown"))
    for m in re.finditer(r"\*\*|__|`", text):
        edits.append(Edit(m.start(), m.end(), "", "markdown"))
    return sorted(edits)  # in document order, as the report's samples are


_WRAP_CAP = 200  # columns: a wider line is a paragraph of its own, not a wrapped one
_WRAP_WINDOW = 8  # lines either side of a break that tell its paragraph's wrap width
_MIN_WRAPPED = 24  # columns: a narrower line is a heading or an item, in either script,
_MIN_WRAPPED_LATIN = 30  # ...and in Latin script this narrow
# Characters two columns wide in Chinese type: Han, kana, CJK and full-width punctuation,
# and the quotes, dashes and dots a Chinese font sets full-width.
_WIDE = re.compile(f"[{HAN}\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\uff01-\uff60‘’“”—…·]")
_CJK_PUNCT = "，、；：。！？“”‘’（）《》〈〉「」『』【】—…·％"
_HAN_SIDE = re.compile(f"[{HAN}{_CJK_PUNCT}]")
_HAN_CLOSING = "，、；：。！？”’）》〉」』】％%"  # Chinese type never starts a line with these
_STOPS = "。！？!?…."
_HAN_STOPS = "。！？!?…"  # a "." in Chinese text is a decimal point or an abbreviation's
# A table's columns: spaces between cells, not after a sentence (`。   “村里`).
_COLUMN_GAP = re.compile(r"[^\s。！？.!?…”’」』）)](?:[ \t]{2,}|\t)\S")
_CLOSERS = "”’\"'」』）)】]"
# A line break that may join two lines: after a character that does not end a sentence,
# after spaces (a `fold -s` line), after a dot that may be an abbreviation's ("approx." /
# "3.5 km", "Dr." / "Romero"), or before a closing mark (`。` / `”另据`). One pattern that
# starts with the literal line break: the regex engine skips ahead to those.
_BREAK = re.compile(
    r"\n(?:(?<=[^\s。！？!?….]\n)(?=[ \t]*\S)|(?<=[ \t]\n)(?=[ \t]*\S)"
    r"|(?<=[^\s.]\.\n)(?=\S|[ \t]+[a-z\d$€£¥])"
    r"|(?<=[。！？!?…]\n)(?=[ \t]*[，、；：。！？”’）》〉」』】％%]))"
)
_LIST_ITEM = re.compile(
    r"[-–—•·●○■□◆◇▪*#>|]|[(（]\d{1,3}[)）]|\d{1,3}(?:[.)．][ \t]|、)|\(?[a-zA-Z]\)[ \t]"
    r"|[(（]?[一二三四五六七八九十]{1,3}[)）、]|[一二三四五六七八九十]是"
    r"|第[一二三四五六七八九十\d]{1,3}[，,、章节節条條部]"
)


def reflow(text: str, context: Context) -> list[Edit]:
    """Join the lines of hard-wrapped text (a PDF's, `fold`'s) where a sentence goes on.

    Each line of such text was a unit to the sentence splitter, so summaries began
    mid-sentence ("buses that come on time…"). A break is joined when the line before it
    does not end a sentence and the line after it goes on: in Chinese, with a Han
    character or punctuation on either side, when the line is about as wide as the lines
    around it (the wrap width); in English, with a lowercase word or a number, when the
    line is not much narrower than the rest. Headings (narrow lines before a paragraph)
    and list items (a marker first) keep their breaks.
    """
    found = [m.start() for m in _BREAK.finditer(text)]
    if text.endswith("\n") and context.after[:1].strip():  # the break before the next block
        found.append(len(text) - 1)
    if not found:
        return []
    full = context.before + text + context.after
    at = len(context.before)
    edits = []
    for pos in found:
        joint = _joint(full, at + pos)
        if joint is not None:
            start, end, replacement = joint
            edits.append(Edit(start - at, end - at, replacement, "reflow"))
    return edits


def _joint(full: str, pos: int) -> tuple[int, int, str] | None:
    """The edit that joins the lines either side of the break at `pos`, if they go on."""
    start = full.rfind("\n", 0, pos) + 1
    line = full[start:pos].rstrip(" \t")
    end = full.find("\n", pos + 1)
    following = full[pos + 1 : end if end >= 0 else len(full)]
    upcoming = following.lstrip(" \t")
    if not line or not upcoming or _LIST_ITEM.match(upcoming):
        return None
    last, first = line[-1], upcoming[0]
    cut = (start + len(line), pos + 1 + len(following) - len(upcoming))
    # Chinese: a character either side, or near (`增长4.9` / `%`, `1500` / `余人次`).
    if _HAN_SIDE.search(line, len(line) - 6) or _HAN_SIDE.search(upcoming, 0, 6):
        width = _width(line)
        ended = last in _HAN_STOPS or (last in _CLOSERS and line[-2:-1] in _HAN_STOPS + _CLOSERS)
        if ended and first not in _HAN_CLOSING:  # `。` / `”另据` is one sentence's end
            return None
        if not _MIN_WRAPPED <= width <= _WRAP_CAP or _table_row(line, upcoming):
            return None
        # Wrapped: about as wide as the widest line around, and as another line (set
        # type is justified); lines of a text that is not wrapped differ in width.
        widths = [_width(other) for other in _window(full, start)]
        if width < max(widths) - max(4, max(widths) // 8):
            return None
        alike = sum(abs(_width(other) - width) <= 4 for other in _lines_around(full, start))
        if alike < 3:  # itself and two more, in its paragraph or the ones around
            return None
        spaced = " " if last in ",;:" and cut != (pos, pos + 1) else ""  # `土蜂蜜, ` / `笋干`
        return (*cut, spaced)
    ended = last in _STOPS or (last in _CLOSERS and line[-2:-1] in _STOPS + _CLOSERS)
    # A lowercase word or a number goes on a sentence, even after an abbreviation
    # ("approx. 3.5 km"); so does a capital after a title ("Dr. Romero"), or after a line
    # as wide as the paragraph's ("the new Harbor / Point"); `fold -w` cuts anywhere.
    goes_on = first.islower() or first.isdigit() or (first in "$€£¥" and upcoming[1:2].isdigit())
    cut_anywhere = cut == (pos, pos + 1) and pos - start <= _WRAP_CAP
    abbreviated = last == "." and bool(
        _TITLE.search(line) if not goes_on else _ABBREVIATION.search(line)
    )
    if ended and not (abbreviated or (last == "." and cut_anywhere)):
        return None
    width = _width(line)
    if width < _MIN_WRAPPED_LATIN or _table_row(line, upcoming):
        return None
    window = _window(full, start)
    if cut_anywhere and pos - start == max(map(len, window)) and _fixed_width(full, start):
        return (*cut, "")
    wrap = max(map(_width, window))
    if ended and not abbreviated:
        return None
    if width < wrap * 0.6:
        return None
    if not (goes_on or ended):  # a capital: only inside a paragraph of lines this wide
        wide = sum(_width(other) >= wrap * 0.75 for other in window)
        if width < wrap * 0.75 or wide < 3 or not (first.isalnum() or first in "\"'“‘("):
            return None
    if last == "-" and line[-2:-1].isalpha() and first.islower():  # a hyphenated word
        return _hyphen(full, start, line, upcoming, cut)
    return (*cut, " ")


def _table_row(line: str, upcoming: str) -> bool:
    """Whether either line has a table's column gap, near the break: rows are not prose."""
    tail = max(0, len(line) - _WRAP_CAP)
    return bool(_COLUMN_GAP.search(line, tail) or _COLUMN_GAP.search(upcoming, 0, _WRAP_CAP))


_TITLE = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Prof|St|Mt|Ft|Sen|Rep|Gov|Gen|No)\.$")
# A short word or a dotted one before a final dot: `approx.`, `e.g.`, `U.S.`, `a.m.`.
_ABBREVIATION = re.compile(r"(?:(?<![A-Za-z])[A-Za-z]{1,6}|[A-Za-z]\.[A-Za-z])\.$")
_WORD_END = re.compile(r"[A-Za-z]+$")
_WORD_START = re.compile(r"[a-z]+")
_HYPHEN_REACH = 4000  # characters either side in which a hyphenated word is looked for


def _hyphen(
    full: str, start: int, line: str, upcoming: str, cut: tuple[int, int]
) -> tuple[int, int, str]:
    """`mainte-` / `nance` is one word; `service-` / `request` was hyphenated already, as
    the same word elsewhere nearby shows (so it is kept when seen with its hyphen)."""
    left, right = _WORD_END.search(line[:-1]), _WORD_START.match(upcoming)
    around = full[max(0, start - _HYPHEN_REACH) : start + _HYPHEN_REACH]
    if left and right and f"{left.group()}-{right.group()}" in around:
        return (*cut, "")
    return cut[0] - 1, cut[1], ""


def _width(line: str) -> int:
    """Columns, Han and full-width characters taking two; past _WRAP_CAP not counted."""
    line = line[: _WRAP_CAP + 1].rstrip()
    return len(line) + len(_WIDE.findall(line))


def _window(full: str, start: int) -> list[str]:
    """The line at `start` and up to _WRAP_WINDOW lines either side of it in its
    paragraph, each cut after _WRAP_CAP characters; a blank or longer line ends it."""
    reach = _WRAP_CAP + 2
    before: list[str] = []
    pos = start
    while pos > 0 and len(before) < _WRAP_WINDOW:
        begin = full.rfind("\n", max(0, pos - 1 - reach), pos - 1) + 1
        if begin == 0 and pos - 1 > reach:  # a line longer than any wrapped one
            before.append(full[pos - reach : pos - 1])
            break
        line = full[begin : pos - 1]
        if not line.strip():
            break
        before.append(line)
        pos = begin
    lines = before[::-1]
    pos = start
    while pos < len(full) and len(lines) < len(before) + _WRAP_WINDOW + 2:
        end = full.find("\n", pos, pos + reach)
        if end < 0:
            lines.append(full[pos : pos + reach])
            break
        line = full[pos:end]
        if not line.strip():
            break
        lines.append(line)
        pos = end + 1
    return lines


def _lines_around(full: str, start: int) -> list[str]:
    """The lines of `full` within a few lines' reach of `start`, blank ones and all."""
    reach = _WRAP_WINDOW // 2 * (_WRAP_CAP + 2)
    low, high = max(0, start - reach), start + reach
    lines = full[low:high].split("\n")
    return lines[low > 0 : len(lines) - (high < len(full))]  # less the lines cut in two


def _fixed_width(full: str, start: int) -> bool:
    """Whether the text around the line at `start` was cut at one width, as `fold -w`
    cuts it (mid-word too).

    So it was when nearly every line that text follows (a paragraph's last line does not
    count), and at least three, is as long as this one, and none is longer; in
    ragged-right text few lines are exactly the longest.
    """
    length = full.find("\n", start) - start
    same = other = 0
    for line, following in pairwise(_lines_around(full, start)):
        if not line.strip() or not following.strip():
            continue
        if len(line) > length or _COLUMN_GAP.search(line):
            return False
        same += len(line) == length
        other += len(line) < length
    return same >= 3 and other * 5 <= same


_REPEAT_MIN = 15  # characters other than spaces: shorter lines are headings, not repeats
_REPEAT_REACH = 4000  # characters between a cut copy and the paragraph it was cut from
_REPEAT_LINE_MAX = 8000  # characters: longer lines only ever repeat whole
_REPEAT_HEAD = 6  # characters other than spaces that a cut copy and its paragraph share
_FOLD = re.compile(r"[\W_]+")
_ABSTRACT_LABEL = re.compile(
    r"[ \t]*(?:[【\[［〔][ \t]*(?:摘[ \t]*要|内容提要|內容提要|abstract)[ \t]*[】\]］〕][ \t]*[:：]?"
    r"|(?:摘[ \t]*要|内容提要|內容提要|abstract)[ \t]*(?:[:：]|(?=\s*$)))[ \t]*",
    re.I,
)
_LABEL_FIRST = frozenset("摘内內【[［〔Aa")


def repeats(text: str, context: Context) -> list[Edit]:
    """Copies of a paragraph: later exact ones, and cut-short ones either side of it.

    Scrapers and templates duplicate paragraphs, and pages open with an abstract that is
    the first paragraph cut short (`摘要:` and a few lines, then the whole paragraph), so
    a summary said the same sentence twice. Exact copies go wherever they are; a line
    whose words (spaces and punctuation folded away) begin a line within _REPEAT_REACH
    characters of it, or nearly do, is the cut copy and goes with its label.
    """
    seen = context.seen
    edits = []
    # The text around that a copy and its paragraph can reach into (a cut line whose
    # paragraph is after it may follow a label alone, up to 200 characters before it).
    before = context.before[len(context.before) - _REPEAT_REACH - _REPEAT_LINE_MAX :]
    after = context.after[: 200 + _REPEAT_REACH + 2 * _REPEAT_LINE_MAX]
    at = len(before)
    copies = _Copies(before + text + after, context.offset - at)
    copies.add_tail(context.repeat_tail)
    recent, reach = copies.recent, _REPEAT_REACH
    labels = []  # (start, end of the label) of lines that open with one
    for start, line in _lines(text):
        key = "".join(line.split())
        if len(key) < _REPEAT_MIN:
            if key[:1] in _LABEL_FIRST and _ABSTRACT_LABEL.fullmatch(line.rstrip("\n")):
                labels.append((start, start + len(line)))  # a label alone, before its text
            continue
        if key in seen:  # an exact copy goes, and no cut copy is measured against it
            edits.append(Edit(start, start + len(line), "", "repeats"))
            continue
        seen.add(key)
        here = at + start
        near = recent.get(head := key[:_REPEAT_HEAD])
        if key[0] not in _LABEL_FIRST and (near is None or here - near[-1][1] > reach):
            recent[head] = [(here, here + len(line), here)]  # `copies.add`, made short
        else:
            copies.add(here, line, key)
            if key[0] in _LABEL_FIRST and (label := _ABSTRACT_LABEL.match(line)):
                labels.append((start, start + label.end()))
    context.repeat_tail = copies.tail(at + len(text))
    copies.add_lines(after, at + len(text), seen)
    cut = copies.cut()
    if not cut and not labels:
        return edits
    exact = {edit.start for edit in edits}
    for start, end in cut.items():
        if at <= start < at + len(text):
            edits.append(Edit(start - at, end - at, "", "repeats"))
    for start, end in labels:
        if start + at in cut or start in exact:
            continue
        if text[end - 1 : end] == "\n":  # alone: goes with the cut copy after it
            gap = _BLANK_LINES_AT.match(copies.full, at + end)
            if gap and gap.end() in cut and gap.end() - (at + end) <= 200:
                edits.append(Edit(start, end, "", "repeats"))
        else:
            edits.append(Edit(start, end, "", "labels"))
    return sorted(edits)


_BLANK_LINES_AT = re.compile(r"(?:[ \t]*\n)*")
_LineAt = tuple[int, int, int]  # a line's start, end, and where its words start (after 摘要:)


class _Copies:
    """The lines of `full` (a block and the text around it) that are no exact copy of an
    earlier line, by how they begin, and which of them are cut copies of another."""

    def __init__(self, full: str, offset: int) -> None:
        self.full = full
        self.offset = offset  # where `full` starts in the text the step reads
        self.recent: dict[str, list[_LineAt]] = {}  # by their first words, the last ones
        self.pairs: list[tuple[_LineAt, _LineAt]] = []

    def add(self, start: int, line: str, key: str) -> None:
        """A line at `start`, `key` its text without spaces."""
        body = start
        if key[0] in _LABEL_FIRST and (label := _ABSTRACT_LABEL.match(line)):
            body += label.end()
            key = "".join(line[label.end() :].split())
        self._add((start, start + len(line), body), key[:_REPEAT_HEAD])

    def _add(self, here: _LineAt, head: str) -> None:
        recent = self.recent.get(head)
        if recent is None:
            self.recent[head] = [here]
            return
        recent[:] = [r for r in recent if here[0] - r[1] <= _REPEAT_REACH]
        self.pairs += [(r, here) for r in recent]
        recent.append(here)

    def add_lines(self, region: str, at: int, seen: set[str]) -> None:
        """The lines of the text after the block, less exact copies."""
        met = set()
        for start, line in _lines(region):
            key = "".join(line.split())
            if len(key) >= _REPEAT_MIN and key not in seen and key not in met:
                met.add(key)
                self.add(at + start, line, key)

    def tail(self, end: int) -> list[tuple[_LineAt, str]]:
        """The lines before `end` that a line after it can be a cut copy of, or have one
        in: where they are in the text the step reads, and their first words."""
        since = end - _REPEAT_REACH - _REPEAT_LINE_MAX
        at = self.offset
        return [
            ((start + at, stop + at, body + at), head)
            for head, lines in self.recent.items()
            for start, stop, body in lines
            if since <= start < end
        ]

    def add_tail(self, tail: list[tuple[_LineAt, str]]) -> None:
        """The lines the block before left (`tail`), those in `full`."""
        at = self.offset
        for (start, stop, body), head in tail:
            if start >= at:
                self._add((start - at, stop - at, body - at), head)

    def cut(self) -> dict[int, int]:
        """The lines that are cut copies: their ends by their starts."""
        cut = {}
        folded: dict[tuple[int, int], str] = {}  # a line is in many pairs: fold it once

        def fold(start: int, end: int) -> str:
            key = (start, end)
            if key not in folded:
                folded[key] = _FOLD.sub("", self.full[start:end]).casefold()
            return folded[key]

        for earlier, later in self.pairs:
            copy = _which_is_cut(self.full, earlier, later, fold)
            if copy is not None:
                start, end, _ = (earlier, later)[copy]
                cut[start] = end
        return cut


def _which_is_cut(
    full: str,
    earlier: tuple[int, int, int],
    later: tuple[int, int, int],
    fold: Callable[[int, int], str],
) -> int | None:
    """0 when `earlier` (start, end, body) is a cut copy of `later`, 1 when `later` is
    one of `earlier`, None when neither: of two equal lines the later is the copy, unless
    the earlier is an abstract (`摘要：` and the paragraph again)."""
    if max(earlier[1] - earlier[0], later[1] - later[0]) > _REPEAT_LINE_MAX:
        return None
    labelled = earlier[2] > earlier[0] and later[2] == later[0]  # `摘要：` on the earlier
    if full[earlier[2] : earlier[1]] == full[later[2] : later[1]]:
        return 0 if labelled else 1
    first = fold(earlier[2], earlier[1])
    second = fold(later[2], later[1])
    shorter, longer = (first, second) if len(first) < len(second) else (second, first)
    if len(shorter) < _REPEAT_MIN:
        return None
    shared = len(os.path.commonprefix([shorter, longer]))  # noqa: RUF071 (text, not paths)
    tail = shorter[shared:]  # where a cut copy ends in a part word, or was retouched
    if len(tail) > min(len(shorter) // 10, 20) or any(c.isdigit() for c in tail):
        return None  # a line that says another number is not a copy
    return 0 if len(first) < len(second) or (labelled and first == second) else 1


# Each pattern starts with literal text, which the regex engine can skip ahead to; a pattern
# that starts with a class of spaces is tried at every space of a long text.
_LEAD_SPACE = re.compile(r"\n[ \t\f\v]+")
_TRAIL_SPACE = re.compile(r"\n(?<=[ \t\f\v]\n)")
_INNER_SPACE = re.compile(r"(?<=\S)(?:[ \t\f\v]{2,}|\t)(?=\S)")
# Runs that `_INNER_SPACE` can match hold two spaces or a tab, form feed or vertical tab.
_INNER_CANDIDATES = tuple(re.compile(f"{lead}[ \\t\\f\\v]*") for lead in ("  ", "\t", "\f", "\v"))
_BLANK_LINES = re.compile(r"\n(?:[ \t\f\v]*\n){2,}")
_EDGE_SPACE = " \t\f\v"


def whitespace(text: str, context: Context) -> list[Edit]:
    """Trim lines, squeeze runs of spaces, and keep at most one blank line between paragraphs."""
    kind = "whitespace"
    edits = [Edit(m.start() + 1, m.end(), "", kind) for m in _LEAD_SPACE.finditer(text)]
    lead = len(text) - len(text.lstrip(_EDGE_SPACE))
    if lead:
        edits.append(Edit(0, lead, "", kind))
    ends = [m.start() for m in _TRAIL_SPACE.finditer(text)]
    if text and text[-1] in _EDGE_SPACE:
        ends.append(len(text))
    for end in ends:
        start = end - 1
        while start > 0 and text[start - 1] in _EDGE_SPACE:
            start -= 1
        if start > 0 and text[start - 1] != "\n":  # not a line of spaces alone: lead took that
            edits.append(Edit(start, end, "", kind))
    edits += [Edit(m.start(), m.end(), " ", kind) for m in _inner_spaces(text)]
    edits += [Edit(m.start(), m.end(), "\n\n", kind) for m in _BLANK_LINES.finditer(text)]
    if context.starts_text:
        lead_all = len(text) - len(text.lstrip())
        if lead_all:
            edits.append(Edit(0, lead_all, "", kind))
    if context.ends_text:
        trail_all = len(text.rstrip())
        if 0 < trail_all < len(text):
            edits.append(Edit(trail_all, len(text), "", kind))
    return edits


def _inner_spaces(text: str) -> list[re.Match[str]]:
    """`_INNER_SPACE.finditer(text)`, tried only where it can match (a run's start)."""
    runs = set()
    for pattern in _INNER_CANDIDATES:
        for m in pattern.finditer(text):
            start = m.start()
            while start > 0 and text[start - 1] in _EDGE_SPACE:
                start -= 1
            runs.add(start)
    found = (_INNER_SPACE.match(text, start) for start in sorted(runs))
    return [m for m in found if m]


TEXT_STEPS: tuple[Step, ...] = (
    normalize,
    pinyin_artifacts,
    page_chrome,
    trailing_credits,
    reflow,
    repeats,
    whitespace,
)


_BLOCK_CHARS = 1 << 20  # characters of lines that go through the line-by-line steps at once
# How far around its block a step may read: more than `reflow` and `repeats` ever look.
AROUND_CHARS = 1 << 15


def clean(text: str, *, markdown: bool = False) -> CleanedText:
    """Run every cleaning step in order and report what each removed.

    The steps work line by line, so a long text goes through them a block of lines at a
    time: strings of a few megabytes reuse memory the process already has, where each whole
    copy of a 100 MB page faulted in fresh memory, which took longer than the cleaning
    itself. Blocks end at line breaks (merged again where reflow joined two lines) and
    start on a line with text (for whitespace's blank-line rule), the steps carry their
    state across (`Context`), and each can read AROUND_CHARS of the text either side of
    its block (`Context.before`, `.after`), so the result is the same as in one piece.
    """
    steps = TEXT_STEPS if not markdown else (TEXT_STEPS[0], markdown_syntax, *TEXT_STEPS[1:])
    context = Context()
    report: dict[str, _Tally] = {}
    maps: list[OffsetMap] = []
    blocks = _blocks(text)
    whole_lines = False  # from reflow on, which joins lines across block ends
    for step in steps:
        whole_lines = whole_lines or step is reflow or step is whitespace
        if whole_lines:
            blocks = _starting_with_text(blocks)
        edited = []
        context.offset = 0
        for i, block in enumerate(blocks):
            context.starts_text, context.ends_text = i == 0, i == len(blocks) - 1
            context.before, context.after = _around(blocks, i)
            edited.append((block, step(block, context)))
            context.offset += len(block)
        if not any(edits for _, edits in edited):
            continue
        offset_map = OffsetMap([], [], [], [], sum(map(len, blocks)))
        blocks = []
        new_at = old_at = 0
        for block, edits in edited:
            _tally(report, block, edits)
            blocks.append(_apply(block, edits, offset_map, new_at, old_at))
            new_at += len(blocks[-1])
            old_at += len(block)
        maps.append(offset_map)
    current = "".join(blocks)
    cleaning = CleaningReport(
        chars_before=len(text),
        chars_after=len(current),
        steps=[
            CleaningStep(kind=kind, count=t.count, chars_removed=t.removed, samples=t.samples)
            for kind, t in report.items()
            if kind != "whitespace" or t.removed
        ],
    )
    return CleanedText(current, text, cleaning, context.byline, tuple(maps))


def _around(blocks: list[str], i: int) -> tuple[str, str]:
    """AROUND_CHARS of the text before block `i` and after it (blocks can be shorter)."""
    before: list[str] = []
    j, need = i - 1, AROUND_CHARS
    while j >= 0 and need > 0:
        before.append(blocks[j][-need:])
        need -= len(before[-1])
        j -= 1
    after: list[str] = []
    j, need = i + 1, AROUND_CHARS
    while j < len(blocks) and need > 0:
        after.append(blocks[j][:need])
        need -= len(after[-1])
        j += 1
    return "".join(reversed(before)), "".join(after)


def _starting_with_text(blocks: list[str]) -> list[str]:
    """Blocks merged until each but the first starts with a character that is not a space."""
    groups: list[list[str]] = []
    for block in blocks:
        if groups and (not block or block[0].isspace() or not groups[-1][-1].endswith("\n")):
            groups[-1].append(block)
        else:
            groups.append([block])
    return ["".join(group) for group in groups]


_BLOCK_END = re.compile(r"\n(?=\S)")


def _blocks(text: str) -> list[str]:
    """`text` cut into pieces of about `_BLOCK_CHARS`, each after a line break and (so
    that `_starting_with_text` seldom has to merge them) before a character that is not
    a space."""
    blocks = []
    start = 0
    while True:
        cut = _BLOCK_END.search(text, start + _BLOCK_CHARS)
        end = cut.end() if cut else len(text)
        blocks.append(text[start:end])
        if end >= len(text):
            return blocks
        start = end


@dataclass
class _Tally:
    count: int = 0
    removed: int = 0
    samples: list[str] = field(default_factory=list)


def _tally(report: dict[str, _Tally], text: str, edits: list[Edit]) -> None:
    for edit in edits:
        step = report.get(edit.kind)
        if step is None:
            step = report[edit.kind] = _Tally()
        step.count += 1
        step.removed += (edit.end - edit.start) - len(edit.replacement)
        if len(step.samples) < _MAX_SAMPLES and edit.kind != "whitespace":
            removed = text[edit.start : edit.end].strip()
            if edit.kind == _CONTROL_KIND:  # the report is printed too: controls by code point
                removed = "".join(
                    c if c.isprintable() else f"U+{ord(c):04X} "
                    for c in text[edit.start : edit.end]
                ).strip()
            sample = removed if len(removed) <= _SAMPLE_CHARS else removed[:_SAMPLE_CHARS] + "…"
            if removed and sample not in step.samples:
                step.samples.append(sample)


def guess_title(cleaned: str) -> str | None:
    """The first line, when it reads like a headline rather than a paragraph."""
    first = cleaned.split("\n", 1)[0].strip()
    limit = 150 if _is_latin(first) else 64
    if not first or len(first) > limit or first[-1] in "。！？.!?；;：:，,":
        return None
    return first


# Pieces of a line that navigation and link lists separate: "Home | About | Contact".
_PIECE = re.compile(r"[^\n|｜¦•·/>»›]+")
_SCRIPT_CHAR = re.compile(f"[{HAN}\u3041-\u3096\u30a1-\u30fa]")  # Han and kana: no spaces
_WORD = re.compile(r"[^\W\d_]+")  # a run of letters: no digits, punctuation, symbols, emoji
PROSE_WORDS = 4


def has_prose(text: str) -> bool:
    """Whether any line, or piece of a line between list separators, reads like a sentence.

    That takes PROSE_WORDS words, a Han or kana character counting as half a word (Chinese
    words average under two characters): "The council approved it." and "明天上午九点开会"
    pass; punctuation, emoji and numbers have no words, and a menu's pieces have one to
    three ("Home | About us | Contact", "首页 | 关于我们"). The pipeline refuses a text
    without prose rather than summarize its noise.
    """
    for match in _PIECE.finditer(text):
        piece = match.group()
        chars = len(_SCRIPT_CHAR.findall(piece))
        words = len(_WORD.findall(_SCRIPT_CHAR.sub(" ", piece) if chars else piece))
        if words + chars / 2 >= PROSE_WORDS:
            return True
    return False
