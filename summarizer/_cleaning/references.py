"""Reference lists: a `参考文献` or `References` head and the entries under it.

`page_chrome` asks here line by line, as a list runs on until a line that is no entry;
the list is the source's apparatus, not its text, and would crowd a summary's facts.
"""

from __future__ import annotations

import re

REFERENCES_FIRST = frozenset("参參注註[［【〔(（RrBbWw")
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


def is_references_head(line: str) -> bool:
    """`参考文献`, `[参考文献]`, `References:`, alone or before the first entry."""
    head = _REFERENCES_HEAD.fullmatch(line)
    return head is not None and (
        len(line) <= 24 or (head.group("entry") is not None and len(line) <= 400)
    )


def is_reference(line: str) -> bool:
    """A line of a reference list: a numbered entry, or a short line that goes on one."""
    if _REFERENCE_ENTRY.match(line):
        return len(line) <= 400
    stops = line.count("。") + line.count("！") + line.count("？")
    return len(line) <= 200 and stops <= 1 and bool(_REFERENCE_PARTS.search(line))
