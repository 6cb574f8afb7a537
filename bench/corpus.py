"""Generated benchmark text: mixed Chinese and English news prose with realistic page noise.

Deterministic for a seed. Sentences are assembled from phrase pools written for this
project, so paragraphs rarely repeat by accident; the noise is what scraped pages carry:
link-farm lines, page chrome, credits, script-converter pinyin, full-width digits, repeated
paragraphs and stray whitespace.
"""

from __future__ import annotations

import random

ZH_SUBJECTS = [
    "青岚县",
    "云溪市图书馆",
    "县农业农村局",
    "滨江新区",
    "南岗乡石桥村",
    "市公交集团",
    "区公所",
    "县水利局",
]
ZH_VERBS = ["投入资金", "新建", "改造", "培训", "服务", "采购", "签约", "完成"]
ZH_OBJECTS = [
    "电商服务站",
    "输水管网",
    "阅览座位",
    "社区共餐据点",
    "冷链配送车",
    "城市书房",
    "公交线路",
    "农产品品牌",
]
ZH_TAILS = [
    "同比增长{p}%",
    "覆盖{n}个乡镇",
    "累计{n}余人次",
    "总额达{m}亿元",
    "较去年提高{p}个百分点",
    "预计{y}年完工",
]
EN_SUBJECTS = [
    "The council",
    "Riverton Public Library",
    "The parks department",
    "City Manager Robert Okafor",
    "Dr. Alicia Romero",
    "The transit agency",
    "Harbor Point residents",
    "The school board",
]
EN_VERBS = [
    "approved",
    "spent",
    "opened",
    "expanded",
    "reported",
    "requested",
    "planned",
    "reviewed",
]
EN_OBJECTS = [
    "a new budget",
    "three branch libraries",
    "the No. 4 bus route",
    "street lighting upgrades",
    "a flood barrier",
    "evening programs",
    "the service-request app",
    "park maintenance",
]
EN_TAILS = [
    "at a cost of ${m} million",
    "up {p}% from last year",
    "for {n} households",
    "by March {d}, {y}",
    "covering approx. {p}.5 km",
    "with {n} new staff",
]
SPAM = "主站蜘蛛池模板: " + " | ".join(
    f"{w}网"
    for w in [
        "星光",
        "彩虹",
        "快乐",
        "云端",
        "极速",
        "高清",
        "全网",
        "同城",
        "海量",
        "免费",
        "精品",
        "热门",
    ]
)
CHROME = [
    "编辑推荐",
    "往 | 期 | 推 | 荐",
    "扫码关注我们",
    "分享到：微信 微博 QQ空间",
    "Share this: Facebook | Twitter | Email",
    "Related articles",
    "责任编辑：陈静",
    "编辑/赵磊丨值班/孙婷",
    "2026-03-12 09:15:22来源：青岚日报编辑：王一鸣",
]
PINYIN = [
    ("統", "tǒng"),
    ("發", "fā"),
    ("網", "wǎng"),
    ("經", "jīng"),
    ("區", "qū"),
    ("鄉", "xiāng"),
]
FULL = str.maketrans("0123456789", "０１２３４５６７８９")


def _fill(rng: random.Random, template: str) -> str:
    return template.format(
        p=rng.randint(1, 99),
        n=rng.randint(2, 9999),
        m=round(rng.uniform(0.1, 99), 1),
        y=rng.randint(2020, 2030),
        d=rng.randint(1, 28),
    )


def zh_sentence(rng: random.Random) -> str:
    return (
        rng.choice(ZH_SUBJECTS)
        + rng.choice(ZH_VERBS)
        + rng.choice(ZH_OBJECTS)
        + str(rng.randint(2, 500))
        + "个，"
        + _fill(rng, rng.choice(ZH_TAILS))
        + "。"
    )


def en_sentence(rng: random.Random) -> str:
    return (
        f"{rng.choice(EN_SUBJECTS)} {rng.choice(EN_VERBS)} {rng.choice(EN_OBJECTS)} "
        f"{_fill(rng, rng.choice(EN_TAILS))}, officials said on Tuesday."
    )


def paragraph(rng: random.Random) -> str:
    zh = rng.random() < 0.6
    count = rng.randint(3, 8)
    text = ("" if zh else " ").join(
        zh_sentence(rng) if zh else en_sentence(rng) for _ in range(count)
    )
    roll = rng.random()
    if zh and roll < 0.05:
        char, pinyin = rng.choice(PINYIN)
        text = text.replace(text[3], f"{char}({pinyin})", 1)
    elif zh and roll < 0.10:
        text = text.translate(FULL)
    elif roll < 0.15:
        text = "  " + text.replace("，", "，  ", 1) + " \t"
    return text


def generate(size_bytes: int, seed: int = 7) -> str:
    """About `size_bytes` of UTF-8 text, noise included."""
    rng = random.Random(seed)
    parts: list[str] = []
    total = 0
    previous = ""
    while total < size_bytes:
        roll = rng.random()
        if roll < 0.03:
            line = SPAM
        elif roll < 0.08:
            line = rng.choice(CHROME)
        elif roll < 0.10 and previous:
            line = previous  # a scraped duplicate
        else:
            line = paragraph(rng)
            previous = line
        parts.append(line)
        total += len(line.encode("utf-8")) + 1
    return "\n".join(parts) + "\n"
