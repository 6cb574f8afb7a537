from __future__ import annotations

import pytest

from summarizer._language import detect


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("青岚县今年投入资金2.3亿元，建成32个服务站，覆盖12个乡镇。", "zh-Hans"),
        ("雲和區公所今年編列新臺幣3,500萬元，在18處社區設置共餐據點。", "zh-Hant"),
        ("The council approved a $48.6 million budget on Tuesday after a long debate.", "en"),
        (
            "Le conseil municipal a approuvé le budget de la ville après un long débat mardi soir.",
            "fr",
        ),
        ("市議会は火曜日に新しい予算を承認しました。", "ja"),
        ("12345 67890", "und"),
    ],
)
def test_detects_language_and_chinese_script(text: str, expected: str) -> None:
    assert detect(text) == expected


def test_chinese_with_english_terms_is_chinese() -> None:
    assert (
        detect("本次发布的 RivertonConnect v2.0 应用，新增了 GDP 数据看板和 API 接口。")
        == "zh-Hans"
    )
