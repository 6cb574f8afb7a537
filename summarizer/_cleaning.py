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

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
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

    The byline they fill, and what a line-by-line step remembers from one block of a long
    text to the next (see `clean`).
    """

    byline: Byline = field(default_factory=Byline)
    in_related: bool = False  # page_chrome: inside a list of related links
    seen: set[str] = field(default_factory=set)  # repeats: the paragraphs met so far
    starts_text: bool = True  # whitespace: this block is where the text starts,
    ends_text: bool = True  # ...and where it ends


Step = Callable[[str, Context], list[Edit]]

_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_ODD_SPACE = "\u00a0\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
_FULLWIDTH = FULLWIDTH_ALNUM + "％"
_NORMAL_FORMS = {  # what each character becomes
    **dict.fromkeys(_INVISIBLE, ""),
    **dict.fromkeys(_ODD_SPACE, " "),
    **{c: chr(ord(c) - FULLWIDTH_OFFSET) for c in _FULLWIDTH},
}
_NORMALIZE = re.compile(f"[\r{_INVISIBLE}{_ODD_SPACE}{_FULLWIDTH}]")  # one class scans fastest


def normalize(text: str, context: Context) -> list[Edit]:
    """Line endings, invisible characters, odd spaces, and full-width letters and digits.

    Full-width punctuation stays: it is correct Chinese typography, and rewriting it would
    change quotes the model must copy verbatim.
    """
    kind = "normalization"
    edits = []
    for m in _NORMALIZE.finditer(text):
        start = m.start()
        found = text[start]
        if found == "\r":
            edits.append(Edit(start, start + 1 + text.startswith("\n", start + 1), "\n", kind))
        else:
            edits.append(Edit(start, start + 1, _NORMAL_FORMS[found], kind))
    return edits


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
    """(start, line with its line break) for every line of `text`."""
    pos = 0
    for line in text.splitlines(keepends=True):
        yield pos, line
        pos += len(line)


_LINKFARM_MARKER = re.compile(r"(蜘蛛池|友情链接|友情鏈接|站群|外链|外鏈)\S{0,6}[:：]")
_PIPES = re.compile(r"\s*[|丨｜┃¦]\s*")
_PIPE_CHARS = re.compile(r"[|丨｜┃¦]")
_COMMA_CHARS = re.compile(r"[,，、;；]")
_COMMAS = re.compile(r"\s*[,，、;；]\s*")


def _is_link_farm(line: str) -> bool:
    if _LINKFARM_MARKER.search(line, 0, 40):
        return True
    if line.startswith("|") and line.endswith("|"):  # a Markdown table row
        return False
    if _has_pipe(line) and len(_PIPE_CHARS.findall(line)) >= 5:
        parts = [p for p in _PIPES.split(line) if p]
        if len(parts) >= 6 and _median_len(parts) <= 24:
            return True
    if line[-1:] in _SENTENCE_END or line.endswith(".") or len(_COMMA_CHARS.findall(line)) < 9:
        return False
    parts = [p for p in _COMMAS.split(line) if p]
    limit = 16 if _is_latin(line) else 12
    return len(parts) >= 10 and _median_len(parts) <= limit


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
    return bool(_DATETIME.fullmatch(line) or _DATELINE.match(line))


def page_chrome(text: str, context: Context) -> list[Edit]:
    """Whole lines of page furniture: link farms, share bars, credits, related-link blocks."""
    edits: list[Edit] = []
    in_related = context.in_related
    for start, raw in _lines(text):
        end = start + len(raw)
        line = raw.strip()
        if not line:
            in_related = False
            continue
        if _is_link_farm(line):
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
    context.in_related = in_related
    return edits


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


def repeats(text: str, context: Context) -> list[Edit]:
    """Later copies of a paragraph already seen, as scrapers and templates duplicate them."""
    seen = context.seen
    edits = []
    for start, line in _lines(text):
        key = "".join(line.split())
        if len(key) >= 15:
            if key in seen:
                edits.append(Edit(start, start + len(line), "", "repeats"))
            else:
                seen.add(key)
    return edits


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
    repeats,
    whitespace,
)


_BLOCK_CHARS = 1 << 20  # characters of lines that go through the line-by-line steps at once


def clean(text: str, *, markdown: bool = False) -> CleanedText:
    """Run every cleaning step in order and report what each removed.

    The steps work line by line, so a long text goes through them a block of lines at a
    time: strings of a few megabytes reuse memory the process already has, where each whole
    copy of a 100 MB page faulted in fresh memory, which took longer than the cleaning
    itself. Blocks end at line breaks, and the steps carry their state across (`Context`),
    so the result is the same as in one piece; whitespace, whose blank-line rule reaches
    across lines, gets blocks that start on a line with text.
    """
    steps = TEXT_STEPS if not markdown else (TEXT_STEPS[0], markdown_syntax, *TEXT_STEPS[1:])
    context = Context()
    report: dict[str, _Tally] = {}
    maps: list[OffsetMap] = []
    blocks = _blocks(text)
    for step in steps:
        if step is whitespace:
            blocks = _starting_with_text(blocks)
        edited = []
        for i, block in enumerate(blocks):
            context.starts_text, context.ends_text = i == 0, i == len(blocks) - 1
            edited.append((block, step(block, context)))
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


def _starting_with_text(blocks: list[str]) -> list[str]:
    """Blocks merged until each but the first starts with a character that is not a space."""
    groups: list[list[str]] = []
    for block in blocks:
        if groups and (not block or block[0].isspace() or not groups[-1][-1].endswith("\n")):
            groups[-1].append(block)
        else:
            groups.append([block])
    return ["".join(group) for group in groups]


def _blocks(text: str) -> list[str]:
    """`text` cut after line breaks into pieces of about `_BLOCK_CHARS`."""
    blocks = []
    start = 0
    while True:
        end = text.find("\n", start + _BLOCK_CHARS) + 1 or len(text)
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
