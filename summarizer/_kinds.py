"""Kinds of names, and the words that type them: the data `_names` checks names against.

Each kind is a `KindRule` in `KIND_RULES`, keyed by the result schema's field: its type
suffixes (局, 商会, 镇; Council, County) with the fewest characters a name ending in each
has, the endings that make a common noun of a suffixed word (推进会, 城市), a gazetteer, or,
for people, a name's shape. A custom schema adds a kind (products, ministries) as one more
`KindRule`. The word lists every check shares (surnames, titles, verbs that open a clause,
stop words) are here too, in simplified script: names are checked in it.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from summarizer import _gazetteers as gazetteers

SURNAMES = (
    "王李张張刘劉陈陳杨楊黄黃赵趙吴吳周徐孙孫马馬朱胡郭何高林罗羅郑鄭梁谢謝宋唐许許韩韓冯馮邓鄧曹彭曾肖"
    "田董袁潘于蒋蔣蔡余杜叶葉程苏蘇魏吕呂丁任沈姚卢盧姜崔钟鍾谭譚陆陸汪范金石廖贾賈夏韦韋付方白邹鄒孟熊"
    "秦邱江尹薛闫閻段雷侯龙龍史陶黎贺賀顾顧毛郝龚龔邵万萬钱錢严嚴覃武戴莫孔向汤湯常温溫康施文牛樊葛邢安"
    "齐齊易乔喬伍庞龐颜顏倪庄莊聂聶章鲁魯岳翟殷詹申欧歐耿关關兰蘭焦俞左柳甘祝包宁寧尚符舒阮柯纪紀梅童凌"
    "毕畢单單季裴霍涂成苗谷盛曲翁冉骆駱蓝藍路游辛靳管柴蒙鲍鮑华華喻祁蒲房滕屈饶饒解牟艾尤阳陽时時穆农農司"
    "卓古吉缪繆简簡车車项項连連芦蘆麦麥褚娄婁窦竇戚岑景党黨宫宮费費卜冷晏席卫衛米柏宗瞿桂全佟应應臧闵閔"
)
COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 诸葛 上官 东方 夏侯 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 令狐 西门 端木 独孤 南宫".split()
)
# Titles written before or after a name (in simplified script: names are checked in it).
ZH_TITLES = sorted(
    """县长 市长 区长 副区长 镇长 乡长 村长 省长 书记 主席 局长 部长 馆长 会长 团长 监事长 校长 院长
    主任 经理 董事长 教授 委员 代表 站长 里长 理事长 队长 厅长 处长 科长 秘书长 社长 所长 组长 主委
    常委 干事 总干事 专员 院士 律师 工程师 负责人 创始人 茶农 果农 菜农 农民 渔民 牧民 村民 居民 市民
    家长 学生 老师 教师 医生 护士 志工 志愿者 长者 阿嬷 阿公 记者 通讯员 大姐 大哥 阿姨 大爷 大妈 大叔
    大婶 师傅 先生 女士 小姐""".split(),
    key=len,
    reverse=True,
)
# What starts a clause, not a name (simplified): 组建苍岭商会, 带动全镇, 推进党群服务中心.
ZH_VERBS = sorted(
    """组建 带动 开展 发动 组织 推进 加强 建设 指导 牵头 结合 推动 举办 召开 设立 成立 建成 新建
    改造 打造 实施 落实 完善 提升 促进 深化 开设 接入 委托 会同 当选 来自 走访 参加 参与 支持 依托
    围绕 覆盖 投入 加快 坚持 深入 凝聚 引导 培育 扶持 帮助 协助 配合 邀请 组成 筹建 创建 申报 获得
    荣获 评为 列为 成为 进入 前往 推广 签署 携手 合作 服务 联系 审议 提交 统筹 获悉 了解 表示 介绍
    通过 经过 关于 对于 按照 根据 聚焦 设置 设有 建有 开通 启用 配备 安排 家住 住在 位于 地处 来到
    走进 回到 赶到 实现 包括 包含 邻近 临近 靠近 毗邻 试办 试点 迈入 协调 增加 减少""".split(),
    key=len,
    reverse=True,
)
STOPWORDS = frozenset(
    """the a an this that these those his her its our their my your we they he she it i you there
    here and or but if when while after before because since although though as at by for from
    in into of on to with without about over under between through during until against among
    also however meanwhile still yet now then today yesterday tomorrow next last first second
    several many some most all each every both either neither no not more less one two three
    officials critics supporters residents parents students nurses volunteers commuters
    researchers members people""".split()
) | {m.lower() for m in (*calendar.month_name, *calendar.day_name) if m}
EN_TITLES = sorted(
    """Dr Mr Mrs Ms Mx Prof Professor Mayor Councilmember Councilwoman Councilman Senator Sen Rep
    Representative Gov Governor President Director Chief Commissioner Judge Justice Manager Chair
    Chairwoman Chairman Chairperson Superintendent Minister Secretary Officer Spokesman Spokeswoman
    Spokesperson Member Trustee Principal Coach Detective Sergeant Sgt Captain Capt Lieutenant Lt
    Reverend Rev Father Sister Attorney Ambassador Premier Treasurer Clerk Inspector""".split(),
    key=len,
    reverse=True,
)
EN_TITLE = "|".join(f"[{t[0]}{t[0].lower()}]{t[1:]}" for t in EN_TITLES)


ZH_FIRST = frozenset("在到从与把被给让将据并及等的了以")  # a preposition or particle first
ZH_LINKS = ("联合", "会同", "协同", "携手", "连同")  # 联合县商务局: a link, then a name
ZH_PARTICLES = frozenset("的了")
# Openings of a common noun phrase, not a name (全县, 各乡镇, 乡村电商服务站, 区级医院).
ZH_GENERIC_START = re.compile(
    "^(?:全部|所有|各级|各类|各地|各个|乡村|城乡|乡镇|农村|城市|基层|镇办|镇村|[县区市省乡镇村]级|"
    "当地|本地|外地|周边|附近|偏远|老旧|有关|相关|其他|部分|多个|多家|一些|这些|那些|社区|小区|人均|中心|中小学|"
    "[各每该某诸此这那我其]|"
    "[一二三四五六七八九十两几数多]+[个家所座名处条项批位])"
)
ZH_DETERMINERS = "全各该本每我此其这那某诸两"
ADMIN_CHARS = frozenset("省市县区镇乡村州旗国")
COMMON_PLACE_WORDS = "社区 小区 城区 市区 园区 景区 山区 城市 城乡 乡村 农村".split()
# Characters a given name does not hold: function words and suffixes of other kinds.
ZH_NOT_IN_NAME = frozenset("的了是在和与及等为对把被从向于将也就都这那们个")

# Words inside English names that are not capitalised; surnames that are also type words
# (Helen Park, Tom Hill, Ann Banks are people).
PARTICLES = frozenset("de van von da del della la le du der den bin al di".split())
CONNECTORS = frozenset("of and for the de du la".split()) | PARTICLES
SURNAME_WORDS = frozenset("park hill hills banks church rivers woods fields green lane".split())


@dataclass(frozen=True)
class KindRule:
    """What makes a string a name of one kind; a custom schema's kind is one more of these.

    `suffixes_zh` maps a type suffix (simplified) to the fewest characters a name ending in
    it has: a facility word alone (服务站, 图书馆, 卫生院) names a kind of place, not one
    organisation. `suffixes_hant`: suffixes as only a Traditional document writes them (里,
    a Taiwanese neighbourhood; Simplified writes "inside" 里 too, Traditional 裡). `suffixes_en` are last words that type an English name, `heads_en` words
    before its "of" (University of Toronto, Department of Health), `prefixes_en` first words
    (Lake Avery, Fort Wayne), `compounds_en` two last words that type a name whatever the
    last alone would (Water District: an organisation). `generic_zh` are endings that make a
    common noun of a suffixed word (推进会, 城市, 校区). `listed` is a gazetteer or lexicon.
    `office_verbs`: a verb followed only by the suffix names an office (组织部, 建设局).
    `qualified_zh`: facility suffixes that name one organisation only with a place or an
    administrative level in the name (县人民医院, not 党群服务中心). `common_zh`: words that
    are common nouns as a whole name, though a name may end in them (城区; 东城区).
    A person (`person=True`) is judged by a name's shape instead.
    """

    person: bool = False
    suffixes_zh: Mapping[str, int] = field(default_factory=dict)
    suffixes_hant: Mapping[str, int] = field(default_factory=dict)
    suffixes_en: frozenset[str] = frozenset()
    heads_en: frozenset[str] = frozenset()
    prefixes_en: frozenset[str] = frozenset()
    compounds_en: frozenset[str] = frozenset()
    generic_zh: tuple[str, ...] = ()
    listed: Callable[[str], bool] | None = None
    office_verbs: bool = False
    qualified_zh: frozenset[str] = frozenset()
    common_zh: frozenset[str] = frozenset()


def _suffixes(spec: str) -> dict[str, int]:
    """ "局:3 站:4" → {"局": 3, "站": 4}."""
    return {s: int(n) for s, n in (item.split(":") for item in spec.split())}


KIND_RULES: dict[str, KindRule] = {
    "people": KindRule(person=True),
    "organizations": KindRule(
        suffixes_zh=_suffixes(
            "局:3 委:3 部:3 办:3 办公室:4 会:3 院:4 校:4 公司:4 集团:4 中心:4 所:4 公所:3 厅:3 署:3 站:4 社:4 "
            "馆:4 处:3 委员会:4 大学:4 中学:4 小学:4 学院:4 银行:4 政协:3 工商联:4 新联会:3 党委:4"
        ),
        suffixes_en=frozenset(
            """council department ministry university company co inc ltd llc plc corp corporation
            association agency bureau board commission committee school hospital college institute
            authority bank group foundation office library club union society center centre trust
            fund party church court police academy administration service services pantry herald
            times gazette tribune museum clinic coalition alliance federation organization
            organisation cooperative laboratory press network""".split()
        ),
        heads_en=frozenset(
            """university ministry department city town bank college institute office bureau board
            commission council committee school society association agency academy court""".split()
        ),
        compounds_en=frozenset(
            f"{service} district"
            for service in """water school fire sewer transit park library hospital utility irrigation
            sanitation improvement""".split()
        ),
        generic_zh=tuple(
            """大会 推进会 座谈会 发布会 运动会 博览会 交易会 展销会 培训会 动员会 表彰会 报告会 党代会
            人代会 茶话会 见面会 研讨会 论证会 听证会 说明会 交流会 现场会 调度会 部署会 协调会 工作会
            推介会 洽谈会 联欢会 分享会 启动会 观摩会 恳谈会 招聘会 音乐会 演唱会 例会 晚会 庙会 年会
            峰会 盛会 全会 社会 开会 散会 聚会 约会 机会 体会 误会 理会 集会 宴会 舞会 酒会 网站 合办 主办 承办 协办 举办 创办 兴办 开办 督办 代办 常委 干部 全部 内部 外部 局部 东部 西部 南部 北部 中部 大局 格局 布局 全局
            结局 当局 开局 新局 场所 厕所 住所 好处 到处 之处 益处 长处 难处 住处 客厅 餐厅 大厅 展厅
            舞厅 歌厅 前厅 门厅 音乐厅""".split()
        ),
        office_verbs=True,
        qualified_zh=frozenset("站 中心 院 所 馆 校 社".split()),
        common_zh=frozenset(
            """里办公处 区公所 乡公所 镇公所 村委会 居委会 村民委员会 居民委员会 管委会 党支部 村党支部
            服务中心 卫生院 卫生所 派出所 区政府 县政府 市政府 镇政府 乡政府""".split()
        ),
    ),
    "places": KindRule(
        suffixes_zh=_suffixes(
            "省:3 市:3 县:3 区:3 镇:3 乡:3 村:3 街道:4 州:3 旗:3 公园:4 广场:4 码头:4 水库:4 机场:4 "
            "车站:4 景区:4"
        ),
        suffixes_hant={"里": 3},
        suffixes_en=frozenset(
            """city county province district state township town village borough parish region
            street st avenue ave road rd boulevard blvd lane drive park point bay beach harbor
            harbour island islands valley heights hill hills ridge square creek river lake falls
            mountain mountains springs station airport bridge plaza gardens coast""".split()
        ),
        heads_en=frozenset("gulf isle bay province state republic kingdom".split()),
        prefixes_en=frozenset("lake mount mt fort ft port cape".split()),
        generic_zh=tuple(
            """城市 都市 超市 上市 股市 门市 夜市 集市 校区 行政村 自然村 新农村 乡村 农村 城乡 乡镇 村镇
            城镇 市县 县市 省市 区县 县区 功能区 体验区 阅览区 阅读区 休息区 活动区 展区 展示区 服务区
            候车区 停车区 等候区 就餐区 办公区 生活区 游览区 公里 千里 万里 邻里 乡里 故里""".split()
        ),
        common_zh=frozenset(
            "城区 市区 郊区 山区 辖区 片区 街区 园区 厂区 矿区 库区 灾区 社区 小区 景区 新区 老区 林区 牧区 口袋公园".split()
        ),
        listed=gazetteers.is_place,
    ),
}


def zh_suffix(simple: str, rule: KindRule) -> str | None:
    """The longest of the kind's type suffixes that `simple` ends with."""
    endings = [s for s in rule.suffixes_zh if simple.endswith(s)]
    return max(endings, key=len) if endings else None


def en_typed(words: Sequence[str], rule: KindRule) -> bool:
    """Whether a type word of the kind types these words: a prefix (Lake Avery), the one
    before "of" (Ohio Department of Education; United Way of Clearwater County is no
    county), or the last (Riverton City Council)."""
    if len(words) > 1 and words[0].lower() in rule.prefixes_en:
        return True
    if "of" in words[1:]:
        return words[words.index("of", 1) - 1].lower() in rule.heads_en
    if words[-1].lower().rstrip(".") in rule.suffixes_en:
        return True
    return " ".join(words[-2:]).lower() in rule.compounds_en
