"""Page chrome, the line-by-line step: share bars, related-link blocks, copyright and
navigation lines (breadcrumbs: `首页 > 政务公开 > 正文`, `Home > News`), with the link farms,
credits and reference lists it asks about.

It runs after normalization and pinyin, on whole lines, and remembers across a block's
end whether it is inside a related-link list or a reference list (`Context`).
"""

from __future__ import annotations

import re

from summarizer._cleaning.context import PROSE_END, Context, is_latin, lines
from summarizer._cleaning.credits import is_credit, read_credits
from summarizer._cleaning.link_farms import LINKFARM_MARKER, PIPES, has_pipe, is_link_farm
from summarizer._cleaning.offsets import Edit
from summarizer._cleaning.references import REFERENCES_FIRST, is_reference, is_references_head

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
      | (?:当前位置|當前位置|您的位置|你的位置|您现在的位置|您現在的位置|you\s+are\s+here)\s*[:：].{0,100}
      | (?:首页|首頁|主页|主頁|home)(?:\s*[>＞›»→]\s*[^>＞›»→]{1,30}){1,6}
      | (?:related|similar|recommended|popular)(?:\s+[a-z]+){1,2}\s*[:：][^|]{1,80}(?:\|[^|]{1,80})+
      | (?:相关|相關|更多|热门|熱門)\w{0,4}\s*[:：][^|丨｜]{1,40}(?:[|丨｜][^|丨｜]{1,40})+
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


def _is_chrome(line: str) -> bool:
    if len(line) > 120 or not _CHROME_LINE.match(line):
        return False
    if line.lower().startswith(("share", "分享")):
        return bool(_SHARE_WORDS.search(line)) or len(line) <= 6
    return True


def page_chrome(text: str, context: Context) -> list[Edit]:
    """Whole lines of page furniture: link farms, share bars, credits, related-link blocks,
    reference lists."""
    edits: list[Edit] = []
    in_related, in_references = context.in_related, context.in_references
    for start, raw in lines(text):
        end = start + len(raw)
        line = raw.strip()
        if not line:
            in_related = False
            continue
        if in_references:
            if is_reference(line):
                edits.append(Edit(start, end, "", "references"))
                continue
            in_references = False
        first = line[0]
        if (  # a paragraph: the checks below would say so, slower
            len(line) > 120
            and line[-1] in PROSE_END
            and first not in REFERENCES_FIRST
            and not (LINKFARM_MARKER.search(line, 0, 40) or has_pipe(line))
        ):
            in_related = False
            continue
        if first in REFERENCES_FIRST and is_references_head(line):
            edits.append(Edit(start, end, "", "references"))
            in_related, in_references = False, True
        elif is_link_farm(line, text, start, end, context):
            edits.append(Edit(start, end, "", "link_farm"))
        elif len(line) > 120:  # too long for chrome, a credit or a related link: prose
            in_related = False
        elif _is_chrome(line):
            edits.append(Edit(start, end, "", "page_chrome"))
            in_related = bool(_LINK_LIST_HEAD.search(PIPES.sub("", line)))
        elif (
            in_related
            and len(line) <= (100 if is_latin(line) else 40)
            and (line[-1:] not in PROSE_END)
        ):
            edits.append(Edit(start, end, "", "page_chrome"))
        elif is_credit(line):
            edits.append(Edit(start, end, "", "credits"))
            read_credits(line, context.byline)
            in_related = False
        else:
            in_related = False
    context.in_related, context.in_references = in_related, in_references
    return edits
