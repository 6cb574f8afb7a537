"""Link-farm lines: the titles a spam network plants on a page, after a marker (友情链接：),
between pipes, joined by commas, or as a head line of short titles.

Judged by shape, not words, as the titles change from farm to farm; `page_chrome` asks
here for every line it does not already know to be prose.
"""

from __future__ import annotations

import re

from summarizer._cleaning.context import SENTENCE_END, Context, is_latin
from summarizer._cleaning.credits import CREDIT_FIELD, REPORTER

LINKFARM_MARKER = re.compile(r"(蜘蛛池|友情链接|友情鏈接|站群|外链|外鏈)\S{0,6}[:：]")
PIPES = re.compile(r"\s*[|丨｜┃¦]\s*")
_PIPE_CHARS = re.compile(r"[|丨｜┃¦]")
_COMMA_CHARS = re.compile(r"[,，、;；]")


def is_link_farm(line: str, text: str, start: int, end: int, context: Context) -> bool:
    """A line of link-farm titles: after a marker (友情链接：), between pipes, or joined by
    commas; `text[start:end]` is the line, for `_is_titles_line` to see its neighbours."""
    if LINKFARM_MARKER.search(line, 0, 40):
        return True
    if line.startswith("|") and line.endswith("|"):  # a Markdown table row
        return False
    if has_pipe(line) and _count(line, "|丨｜┃¦") >= 5:
        parts = _parts(_PIPE_CHARS, line)
        if len(parts) >= 6 and _median_len(parts) <= 24:
            return True
    if line[-1:] in SENTENCE_END or line.endswith("."):
        return False
    commas = _count(line, ",，、;；")
    if commas >= 9:
        parts = _parts(_COMMA_CHARS, line)
        if len(parts) >= 10 and _median_len(parts) <= (16 if is_latin(line) else 12):
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
        line.count(" ") < _TITLES_MIN - 1 or line.isascii() or is_latin(line)
    ):
        return False  # too few separators: Latin titles are split at commas only
    body = line[label.end() :] if (label := _LIST_LABEL.match(line)) else line
    if label and label.group().lower().startswith(_KEEP_LABELS):
        return False
    if _SENTENCE_MARK.search(body) or CREDIT_FIELD.search(line) or REPORTER.search(line):
        return False
    latin = is_latin(body)
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


def has_pipe(line: str) -> bool:
    """Whether `_PIPE_CHARS` occurs at all: five substring searches beat one regex scan."""
    return "|" in line or "丨" in line or "｜" in line or "┃" in line or "¦" in line


def _count(line: str, chars: str) -> int:
    """How many of `chars` `line` holds: counted in C, where a page left on one line
    would make `findall` a list of every one."""
    return sum(map(line.count, chars))


def _parts(separator: re.Pattern[str], line: str) -> list[str]:
    """The parts of `line` (stripped) between separators, less the spaces around them:
    what splitting at `\\s*` + separator + `\\s*` gives, without a pattern that begins
    with spaces and so is tried at every character of the line."""
    return list(filter(None, map(str.strip, separator.split(line))))


def _median_len(parts: list[str]) -> int:
    lengths = sorted(map(len, parts))
    return lengths[len(lengths) // 2]
