#!/usr/bin/env python3
"""Sentence splitters side by side: Golden Rules pass counts, number safety, offsets, MB/s.

Run when choosing or changing the sentence splitter; not part of the test suite:

    python3 bench/segmenters.py                 # everything, about a minute
    python3 bench/segmenters.py --no-speed      # the cases and checks only
    python3 bench/segmenters.py --failures ours # which cases one splitter fails
    python3 bench/segmenters.py --pysbd-whole   # also pySBD on the whole text (+5 minutes)

The peers are optional (`pip install pysbd sentencex blingfire`); a missing one is skipped.
Cases come from tests/data/golden_rules/*.json. A case passes when the splitter's sentences,
stripped, with empty ones dropped, equal `expected`. Some upstream cases expect text rewritten
by a cleaner (a newline inside a sentence turned into a space), which no splitter that returns
spans of the original can produce, so a second, lenient score compares with whitespace runs
collapsed to one space and dropped next to CJK characters.

Offsets: a splitter that returns only strings is mapped back by searching forward from the
end of the previous sentence; a sentence not found as-is (the splitter rewrote it) or found
past non-space text counts as a mapping failure.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import time
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "data" / "golden_rules"
SUITES = {"en": "en", "zh": "zh", "ja": "ja", "zh_project": "zh"}  # file stem -> language

Spans = list[tuple[int, int]]


@dataclass(frozen=True)
class Splitter:
    name: str
    version: str
    languages: frozenset[str]
    native_offsets: bool
    sentences: Callable[[str, str], list[str]]  # (text, language) -> sentences
    spans: Callable[[str, str], Spans]  # (text, language) -> spans into text


def _ours() -> Splitter:
    from summarizer._sentences import split_sentences

    def spans(text: str, lang: str) -> Spans:
        return [(s.start, s.end) for s in split_sentences(text)]

    return Splitter(
        "ours",
        metadata.version("summarizer"),
        frozenset(SUITES.values()),
        True,
        lambda text, lang: [text[a:b] for a, b in spans(text, lang)],
        spans,
    )


_BLANK_LINE = re.compile(r"\n[^\S\n]*\n\s*")


def blocks(text: str) -> list[tuple[int, str]]:
    """The blank-line-separated blocks of `text`, with where each starts."""
    out, start = [], 0
    for m in _BLANK_LINE.finditer(text):
        out.append((start, text[start : m.start()]))
        start = m.end()
    out.append((start, text[start:]))
    return [(at, block) for at, block in out if block.strip()]


def _pysbd(clean: bool, whole: bool = False) -> Splitter:
    """pySBD, called once per blank-line block unless `whole`: one call on a whole document
    is superlinear (10 MB took 137 s here against 1 s for 0.7 MB), so a wrapper must feed it
    paragraphs."""
    import pysbd

    segmenters: dict[str, pysbd.Segmenter] = {}

    def segmenter(lang: str) -> pysbd.Segmenter:
        if lang not in segmenters:  # building one compiles its rules
            segmenters[lang] = pysbd.Segmenter(language=lang, clean=clean, char_span=not clean)
        return segmenters[lang]

    def parts(text: str) -> list[tuple[int, str]]:
        return [(0, text)] if whole else blocks(text)

    def sentences(text: str, lang: str) -> list[str]:
        out = [s for _, block in parts(text) for s in segmenter(lang).segment(block)]
        return [s if isinstance(s, str) else s.sent for s in out]

    def spans(text: str, lang: str) -> Spans:
        if clean:  # pySBD refuses char_span with clean=True: its strings are rewritten
            return map_back(text, sentences(text, lang))[0]
        return [
            (at + s.start, at + s.end)
            for at, block in parts(text)
            for s in segmenter(lang).segment(block)
        ]

    return Splitter(
        f"pysbd clean={clean}" + (" whole" if whole else ""),
        metadata.version("pysbd"),
        frozenset({"en", "zh", "ja"}),
        not clean,
        sentences,
        spans,
    )


def _sentencex() -> Splitter:
    import sentencex

    def spans(text: str, lang: str) -> Spans:
        return [
            (b["start_index"], b["end_index"])
            for b in sentencex.get_sentence_boundaries(lang, text)
        ]

    return Splitter(
        "sentencex",
        metadata.version("sentencex"),
        frozenset({"en", "zh", "ja"}),
        True,
        lambda text, lang: list(sentencex.segment(lang, text)),
        spans,
    )


def _blingfire() -> Splitter:
    import blingfire

    def spans(text: str, lang: str) -> Spans:
        return [(a, b) for a, b in blingfire.text_to_sentences_and_offsets(text)[1]]

    return Splitter(
        "blingfire",
        metadata.version("blingfire"),
        frozenset(SUITES.values()),  # one model for every language
        True,
        lambda text, lang: [text[a:b] for a, b in spans(text, lang)],
        spans,
    )


def splitters(pysbd_whole: bool = False) -> list[Splitter]:
    found = [_ours()]
    makers: list[Callable[[], Splitter]] = [lambda: _pysbd(False), lambda: _pysbd(True)]
    if pysbd_whole:
        makers += [lambda: _pysbd(False, whole=True), lambda: _pysbd(True, whole=True)]
    for make in [*makers, _sentencex, _blingfire]:
        try:
            found.append(make())
        except ImportError as e:
            print(f"skipped: {e}")
    return found


# --- scoring -----------------------------------------------------------------------------

_RUN = re.compile(r"\s+")
_NEXT_TO_CJK = re.compile(
    r" (?=[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef])|(?<=[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]) "
)


def lenient(sentence: str) -> str:
    return _NEXT_TO_CJK.sub("", _RUN.sub(" ", sentence.strip()))


@dataclass(frozen=True)
class Outcome:
    case: str
    strict: bool
    lenient: bool
    got: list[str]


def score(splitter: Splitter, suite: str) -> list[Outcome]:
    doc = json.loads((CASES / f"{suite}.json").read_text(encoding="utf-8"))
    lang = SUITES[suite]
    outcomes = []
    for case in doc["cases"]:
        try:
            got = [s.strip() for s in splitter.sentences(case["text"], lang) if s.strip()]
        except Exception as e:  # a crash fails the case, not the run
            got = [f"<{type(e).__name__}: {e}>"]
        want = case["expected"]
        outcomes.append(
            Outcome(
                case["name"],
                got == want,
                [lenient(s) for s in got] == [lenient(s) for s in want],
                got,
            )
        )
    return outcomes


def map_back(text: str, sentences: list[str]) -> tuple[Spans, int]:
    """Spans of `sentences` in `text` by forward search, and how many could not be placed."""
    spans: Spans = []
    failed = 0
    pos = 0
    for sentence in sentences:
        body = sentence.strip()
        if not body:
            continue
        at = text.find(body, pos)
        if at < 0 or text[pos:at].strip():
            failed += 1
            continue
        spans.append((at, at + len(body)))
        pos = at + len(body)
    return spans, failed


# --- numbers -----------------------------------------------------------------------------

NUMBER_PROBES = [
    "全年营业收入1.5亿元，同比增长3.5%。净利润2,300万元。",
    "利率下调至３．５％，为近年最低。版本V2.0.1已发布。",
    "Revenue rose 3.5% to $1,000.50 in 2023. Pi is 3.14159 or so.",
    "It cost 1,000.That is a lot. 又增长了12.8%。共计1.5亿元.",
]
_NUMBER = re.compile(r"[0-9０-９]+(?:[.,．，][0-9０-９]+)+[%％]?(?:亿元|万元)?")


def number_cuts(text: str, spans: Spans) -> int:
    """Sentence edges that fall inside a number such as 3.5, 1,000, 1.5亿元 or 3.5%."""
    edges = sorted({e for span in spans for e in span})
    cuts = 0
    for m in _NUMBER.finditer(text):
        i = bisect_left(edges, m.start() + 1)
        cuts += i < len(edges) and edges[i] < m.end()
    return cuts


# --- speed -------------------------------------------------------------------------------


def corpus(target_bytes: int) -> str:
    """examples/*.txt (Chinese and English) repeated to `target_bytes` of UTF-8."""
    parts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples").glob("*.txt"))]
    block = "\n\n".join(parts) + "\n\n"
    return block * -(-target_bytes // len(block.encode()))


@dataclass(frozen=True)
class Speed:
    mb_per_s: float
    seconds: float
    sentences: int
    number_cuts: int
    unmapped: int  # sentences a string-only splitter returned that forward search could not place


def speed(splitter: Splitter, text: str, lang: str) -> Speed:
    """The median of three runs (one, for a splitter that takes over five seconds)."""
    mb = len(text.encode()) / 1e6
    times: list[float] = []
    while len(times) < 3 and sum(times) < 5:
        t0 = time.perf_counter()
        if splitter.native_offsets:
            spans, unmapped = splitter.spans(text, lang), 0
        else:  # mapping strings back to offsets is part of what it would cost us
            spans, unmapped = map_back(text, splitter.sentences(text, lang))
        times.append(time.perf_counter() - t0)
    seconds = statistics.median(times)
    return Speed(mb / seconds, seconds, len(spans), number_cuts(text, spans), unmapped)


def unmapped_cases(splitter: Splitter) -> int:
    """Cases whose sentences forward search cannot place back in the text (rewritten ones)."""
    count = 0
    for suite, lang in SUITES.items():
        if lang in splitter.languages:
            doc = json.loads((CASES / f"{suite}.json").read_text(encoding="utf-8"))
            for case in doc["cases"]:
                count += map_back(case["text"], splitter.sentences(case["text"], lang))[1] > 0
    return count


# --- beside pySBD, for bench/run ------------------------------------------------------------


def side_by_side(mb: float) -> dict[str, object]:
    """Ours beside pySBD (clean=False, per paragraph): strict Golden Rules passes per suite,
    and MB/s of both on the same `mb` megabytes of examples/*.txt (median of runs). The goal
    keys: `segmenter_suites_behind_pysbd` counts the suites where ours passes fewer cases (0),
    and `segmenter_mb_per_s` is ours on 10 MB of bench/corpus.py, best of three (>= 25)."""
    from corpus import generate

    ours = _ours()
    try:
        peer: Splitter | None = _pysbd(False)
    except ImportError:
        peer = None
    splitters = [ours] if peer is None else [ours, peer]
    suites: dict[str, dict[str, int]] = {}
    for suite in SUITES:
        row: dict[str, int] = {}
        for sp in splitters:
            outcomes = score(sp, suite)
            row[sp.name], row["of"] = sum(o.strict for o in outcomes), len(outcomes)
            row[f"{sp.name} lenient"] = sum(o.lenient for o in outcomes)
        suites[suite] = row
    text = corpus(int(mb * 1e6))
    for sp in splitters:  # imports and tables built on first use are not throughput
        sp.spans(text[:50_000], "zh")
    same = {f"{sp.name} mb_per_s": round(speed(sp, text, "zh").mb_per_s, 2) for sp in splitters}
    bench_text = generate(10_000_000)
    runs = []
    for _ in range(3):
        t0 = time.perf_counter()
        ours.spans(bench_text, "zh")
        runs.append(time.perf_counter() - t0)
    out: dict[str, object] = {"suites": suites, "same_text": {"mb": mb, **same}}
    out["segmenter_mb_per_s"] = round(len(bench_text.encode()) / 1e6 / min(runs), 2)
    if peer is not None:
        out["pysbd_version"] = peer.version
        out["segmenter_speedup_vs_pysbd"] = round(
            same["ours mb_per_s"] / same[f"{peer.name} mb_per_s"], 1
        )
        out["segmenter_suites_behind_pysbd"] = sum(
            r["ours"] < r[peer.name] for r in suites.values()
        )
    return out


# --- report ------------------------------------------------------------------------------


def accuracy_table(found: list[Splitter], failures: str | None) -> dict[str, dict[str, object]]:
    """Print the cases each splitter passes, per suite, and return them."""
    results: dict[str, dict[str, object]] = {}
    print(f"| splitter | version | {' | '.join(SUITES)} | number cuts (probes) | unmappable |")
    print("|---|---|" + "---|" * len(SUITES) + "---|---|")
    for sp in found:
        row: dict[str, object] = {"version": sp.version, "native_offsets": sp.native_offsets}
        cells = []
        for suite, lang in SUITES.items():
            if lang not in sp.languages:
                cells.append("n/a")
                continue
            outcomes = score(sp, suite)
            strict, loose = sum(o.strict for o in outcomes), sum(o.lenient for o in outcomes)
            row[suite] = {"strict": strict, "lenient": loose, "of": len(outcomes)}
            cells.append(f"{strict}/{len(outcomes)} ({loose})")
            for o in outcomes if failures == sp.name else []:
                if not o.lenient:
                    print(f"  FAIL {suite} {o.case}: {o.got}")
        probes = sum(
            number_cuts(text, sp.spans(text, "zh" if "。" in text else "en"))
            for text in NUMBER_PROBES
        )
        row["number_cuts_probes"], row["unmapped_cases"] = probes, unmapped_cases(sp)
        results[sp.name] = row
        print(
            f"| {sp.name} | {sp.version} | {' | '.join(cells)} | {probes} | {row['unmapped_cases']} |"
        )
    print("\nstrict passes (lenient passes, whitespace collapsed) per suite")
    return results


def speed_table(
    found: list[Splitter], mb: float, lang: str, results: dict[str, dict[str, object]]
) -> None:
    """Print each splitter's throughput on `mb` MB of examples/*.txt, into `results` too."""
    text = corpus(int(mb * 1e6))
    mb = len(text.encode()) / 1e6
    print(f"\nspeed on {mb:.1f} MB of examples/*.txt repeated, language={lang!r}")
    print("| splitter | MB/s | s | sentences | edges inside numbers | unmapped | offsets |")
    print("|---|---|---|---|---|---|---|")
    for sp in found:
        s = speed(sp, text, lang)
        results[sp.name]["speed"] = s.__dict__
        offsets = "native" if sp.native_offsets else "forward search"
        print(
            f"| {sp.name} | {s.mb_per_s:.2f} | {s.seconds:.2f} | {s.sentences} "
            f"| {s.number_cuts} | {s.unmapped} | {offsets} |"
        )
    strings = [text[a:b] for a, b in found[0].spans(text, lang)]
    t0 = time.perf_counter()
    map_back(text, strings)
    mapping = time.perf_counter() - t0
    results["forward_search"] = {"seconds": mapping, "sentences": len(strings)}
    print(f"\nforward search alone, mapping {len(strings)} sentences: {mb / mapping:.0f} MB/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-speed", action="store_true", help="skip the throughput run")
    parser.add_argument("--mb", type=float, default=10.0, help="size of the speed corpus")
    parser.add_argument("--lang", default="zh", help="language passed on the mixed corpus")
    parser.add_argument("--failures", metavar="NAME", help="list the cases NAME fails")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument(
        "--pysbd-whole",
        action="store_true",
        help="also time pySBD on the whole text in one call (minutes at 10 MB)",
    )
    args = parser.parse_args()
    found = splitters(args.pysbd_whole)
    results = accuracy_table(found, args.failures)
    if not args.no_speed:
        speed_table(found, args.mb, args.lang, results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
