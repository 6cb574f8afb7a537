"""Prose: which sentences the offline engine may rank or take facts from, and where in each
the prose starts.

Cleaning removes whole lines of page furniture, but some of it reaches the sentences: a
dateline opens a news story's first sentence (`RIVERTON —`, `LONDON (Reuters) -`,
`新华社北京3月5日电（记者 王某）`), a list marker opens an item (`3、`, `（二）`, `1.`), a
heading line without a stop can be joined to the sentence under it, and a reference list
or a line of spam titles that escaped cleaning ends in 。 like a sentence. Summaries, key
points and facts that start with these, or consist of them, read as junk; `prose_start`
skips the openers and `is_candidate` refuses the rest. The rules are shapes, not word
lists, except for spam titles, whose shape (short items joined by commas) is also that of
an ordinary Chinese enumeration: those are told apart by their words.
"""

from __future__ import annotations

import re

from summarizer._scripts import HAN

HAN_RUN = re.compile(f"[{HAN}]+")
_MONTH_ABBR = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
# `RIVERTON —`, `ST. LOUIS, Mo. —`, `LONDON (Reuters) -`, `WASHINGTON, March 3 (AP) —`,
# `NEW YORK, Jan. 5, 2026 /PRNewswire/ --`: a place in capitals, then a dash before the
# sentence proper. A hyphen counts only with spaces around it.
_EN_DATELINE = re.compile(
    r"(?=[A-Z]{3}|[A-Z]{2}\.)[A-Z][A-Z.'’-]*(?:\s[A-Z][A-Z.'’-]*){0,3}"
    r"(?:,\s[A-Z][A-Za-z.]*(?:\s[A-Z][A-Za-z.]*){0,2})?"
    rf"(?:,?\s{_MONTH_ABBR}\s\d{{1,2}}(?:,\s?\d{{4}})?)?"
    r"(?:\s?\([A-Za-z][A-Za-z .&-]{1,30}\))?(?:\s?/[^/\n]{2,30}/)?"
    r"(?:\s?[—–]|\s-{1,2})\s+(?=[A-Z0-9\"“‘'$])"
)
_ZH_DATELINE = re.compile(
    rf"(?:(?:新华社|新華社|中新社|中新网|中新網|本报|本報|[{HAN}]{{2,8}}?(?:社|报|報|网|網|台))"
    rf"[{HAN}]{{0,8}}?\d{{1,2}}\s?月\s?\d{{1,2}}\s?日\s?(?:电|電)"
    rf"|本(?:报|報|台|网|網)讯|本(?:报|報|台|网|網)訊)"
    r"[ \t]*(?:[(（][^()（）\n]{0,40}[)）])?[ \t]*[，,：:]?[ \t]*"
)
# `3、` `（二）` `(1)` `1.` `①` `•`: an item's number or bullet, never one of its quantities.
LIST_MARKER = re.compile(
    r"(?:[(（][ \t]*(?:\d{1,2}|[一二三四五六七八九十]{1,3})[ \t]*[)）]"
    r"|(?:\d{1,2}|[一二三四五六七八九十]{1,3})[ \t]*[、．](?!\d)"
    r"|\d{1,2}[.)）](?!\d)|[a-z][.)](?=\s)"
    r"|[\u2460-\u2473\u2474-\u2487\u2488-\u249b\u3220-\u3229]"
    r"|[•·●○◆◇■□▪►▶*\-–](?=\s))[ \t]*"
)
_CLAUSE_END = "。！？!?.…；;：:，,、”」』\"'）)"
# A reference entry: `[1]`, a document-type tag `[J]`, `2020(01):50-54頁`, a publisher.
_CITATION = re.compile(
    r"^\s*[\[［【〔][ \t]*\d{1,3}[ \t]*[\]］】〕]"
    r"|[\[［](?:J|M|N|C|D|R|S|P|Z|A|G|EB/OL|J/OL|M/OL|DB/OL|OL)[\]］]"
    r"|(?:19|20)\d{2}[ \t]*[,，]?[ \t]*[(（][ \t]*\d{1,3}[ \t]*[)）][ \t]*[:：][ \t]*\d+"
    r"|\d+[ \t]*[-–—~～][ \t]*\d+[ \t]*[页頁]|第[ \t]*\d+[ \t]*[页頁][。.]?$"
    r"|出版社[ \t]*[,，.．:：][ \t]*(?:19|20)\d{2}|年版[,，.。]|》[ \t]*(?:19|20)\d{2}[ \t]*年.{0,8}第[ \t]*\d+[ \t]*[版期]"
    r"|\bdoi:\s*10\.|\bpp\.\s*\d+\s*[-–]\s*\d+|\bet al\.,?\s*\(?(?:19|20)\d{2}",
    re.I,
)
# Words of the porn and gambling titles that link farms put on a page, in both scripts;
# not the words news uses for them (色情, 赌场, 博彩), since a report on a crackdown is prose.
SPAM_WORDS = re.compile(
    r"成人(?:视频|視頻|影片|电影|電影|网站|網站|小说|小說)|黄色网站|黃色網站|av女优|AV女優"
    r"|无码|無碼|裸聊|一夜情|约炮|約炮|激情(?:视频|視頻|电影|電影)|看片|黄片|黃片"
    r"|娱乐城|娛樂城|葡京|百家乐|百家樂|老虎机|老虎機|时时彩|時時彩"
    r"|真人(?:视讯|視訊|娱乐|娛樂)|开户送|開戶送|彩金|\bporn|\bxxx\b|\bonline (?:slots|casino)\b",
    re.I,
)
_ITEM_SEPARATORS = re.compile(r"[,，|丨｜]")


def prose_start(sentence: str) -> int:
    """Where the prose of a sentence starts: after heading lines joined to it, a dateline
    and a list marker; the sentence's length when nothing is left."""
    at = _after_headings(sentence)
    at += len(sentence[at:]) - len(sentence[at:].lstrip())
    for pattern in (_EN_DATELINE, _ZH_DATELINE, LIST_MARKER):
        if found := pattern.match(sentence, at):
            at = found.end()
    return at


def _after_headings(sentence: str) -> int:
    """Skip leading lines that end with no punctuation and look like headings: a line of a
    hard-wrapped paragraph (as wide as the next, or in English not capitalised) stays."""
    at = 0
    while (newline := sentence.find("\n", at)) != -1:
        line = sentence[at:newline].strip()
        following = sentence[newline + 1 :].lstrip().split("\n", 1)[0].strip()
        if line and (line[-1] in _CLAUSE_END or not _is_heading(line, following)):
            break
        at = newline + 1
    return at if sentence[at:].strip() else 0


def _is_heading(line: str, following: str) -> bool:
    if LIST_MARKER.match(line) or is_spam(line):
        return True
    if HAN_RUN.search(line):
        return len(line) <= 30 and len(line) < len(following) * 0.9
    words = line.split()
    return (
        len(words) <= 14
        and sum(w[:1].isupper() or w[:1].isdigit() for w in words) * 3 >= len(words) * 2
    )


def is_citation(sentence: str) -> bool:
    return bool(_CITATION.search(sentence))


def is_spam(sentence: str) -> bool:
    """A run of spam titles: short items joined by commas, two of them with spam words."""
    if not SPAM_WORDS.search(sentence):
        return False
    items = [p.strip() for p in _ITEM_SEPARATORS.split(sentence) if p.strip()]
    spammy = sum(bool(SPAM_WORDS.search(p)) for p in items)
    if spammy >= 2:
        return True
    return spammy == 1 and len(items) == 1 and len(items[0]) <= 16


def is_prose(sentence: str) -> bool:
    """Neither a reference entry nor a run of spam titles."""
    return not is_citation(sentence) and not is_spam(sentence)


SENTENCE_ENDS = "。！？!?.…”」』\"'"


def ends_like_sentence(sentence: str) -> bool:
    """A stop (or a closing quote) last: no heading, no line cut short."""
    return sentence[-1:] in SENTENCE_ENDS


def is_candidate(sentence: str, zh: bool, measured: bool = False) -> bool:
    """A whole sentence worth ranking: it ends like one, is long enough and is prose. A
    short English sentence counts when it states a measured quantity (`The vote was 5-2.`)."""
    if not ends_like_sentence(sentence) or not is_prose(sentence):
        return False
    if zh:
        return sum(len(run) for run in HAN_RUN.findall(sentence)) >= 12
    return len(sentence.split()) >= (3 if measured else 6)
