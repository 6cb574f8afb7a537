"""Credits: source, editor, reporter and date lines, and a reporter's name in brackets
closing a paragraph; what they name goes to the byline instead of the summary.

`page_chrome` asks `is_credit` about whole lines and `read_credits` fills the byline;
`trailing_credits` is a step of its own, as its credit ends a line of prose.
"""

from __future__ import annotations

import re

from summarizer._cleaning.context import Context, is_latin, present
from summarizer._cleaning.offsets import Edit
from summarizer._schemas import Byline
from summarizer._scripts import HAN

CREDIT_FIELD = re.compile(
    r"(?:来源|來源|责任编辑|責任編輯|责编|責編|编辑|編輯|值班|作者|校对|校對|审核|審核|审校|審校"
    r"|监制|監製|出品|策划|策劃|摄影|攝影|供图|供圖)\s*[:：/]"
    r"|^(?:by|editor|edited\s+by|source|reporting\s+by|written\s+by|photos?\s+by)\b\s*[:：]?\s*\S",
    re.I,
)
REPORTER = re.compile(r"(?:记者|記者|通讯员|通訊員|实习生|實習生)")
_DATELINE = re.compile(
    r"^(?:published|updated|posted|last\s+updated)\b.{0,20}\d{4}.{0,30}$|^发布时间|^發佈時間|^发布日期|^發布日期",
    re.I,
)
_DATETIME = re.compile(
    r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?"
)


def is_credit(line: str) -> bool:
    """A short line of credits: 来源/编辑/值班 fields, or names next to 记者."""
    if len(line) > 100 or line[-1:] in "。！？":
        return False
    if CREDIT_FIELD.search(line):
        return True
    if REPORTER.search(line) and len(line) <= 40 and not re.search(r"[，,。；]", line):
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


def read_credits(line: str, byline: Byline) -> None:
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
    parts = [found.strip()] if is_latin(found) else [p for p in found.split() if p not in _ROLES]
    for name in parts:
        if name and name not in names:
            names.append(name)


_END_CREDIT = re.compile(
    rf"[。！？!?.”」』](?P<tail>[ \t]*[(（][ \t]*(?P<name>(?:记者|記者|通讯员|通訊員|作者|编辑|編輯)?[ \t]*"
    rf"[{HAN}]{{2,4}}(?:[ \t]+[{HAN}]{{2,4}}){{0,3}})[ \t]*[)）][ \t]*)$",
    re.M,
)
_NOT_A_NAME = {"完", "全文完", "待续", "待續", "未完待续", "未完待續", "图", "圖", "图片", "圖片"}


_CLOSING_BRACKETS = ((")", re.compile(r"\)[ \t]*$", re.M)), ("）", re.compile(r"）[ \t]*$", re.M)))


def trailing_credits(text: str, context: Context) -> list[Edit]:
    """A reporter's name in brackets closing a paragraph: `……贡献力量。(吴卉)`."""
    # Only lines that end in a bracket can match; finding those first skips the rest fast.
    line_ends = sorted(
        {m.end() for p in present(_CLOSING_BRACKETS, text) for m in p.finditer(text)}
    )
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
