"""Variants: what `--variant NAME=SPEC` means, and the runs a variant set makes.

A SPEC is a comma-separated list of prompt pins (`chunk_notes@v1,merge@v1`) or one engine
(`engine:extractive`), and `facts:extractive` or `facts:paraphrased` for citing prompts whose
facts are their cited sentences verbatim (the default, `--extractive-facts`) or the model's own
words (`--paraphrased-facts`); an empty SPEC (`default=`, or just `default`) is the default
prompts, whatever their version.
A model-backed variant runs once per `--model`; an offline engine runs once, whatever the
models, because it asks none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from summarizer import _engines as engines
from summarizer import _prompts as prompts
from summarizer._errors import ConfigError

MODEL_ENGINE = "llm"
_ENGINE = "engine:"
_FACTS = {"facts:extractive": True, "facts:paraphrased": False}
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$")


@dataclass(frozen=True)
class Variant:
    name: str
    pins: tuple[str, ...] = ()
    engine: str = MODEL_ENGINE
    extractive_facts: bool | None = None  # None: as the settings say

    @property
    def spec(self) -> str:
        if self.engine != MODEL_ENGINE:
            return f"{_ENGINE}{self.engine}"
        facts = [k for k, v in _FACTS.items() if v is self.extractive_facts]
        return ",".join((*self.pins, *facts))


@dataclass(frozen=True)
class Run:
    """One variant with one model (None for an offline engine): one column of the report."""

    variant: Variant
    model: str | None

    @property
    def label(self) -> str:
        return self.variant.name if self.model is None else f"{self.variant.name} · {self.model}"


def parse(text: str) -> Variant:
    """`NAME=SPEC` into a Variant; every pin is loaded, so a missing version fails now."""
    name, _, spec = text.partition("=")
    name = name.strip()
    if not _NAME.match(name):
        raise ConfigError(f"--variant {text!r}: the name must be letters, digits, _ . - (1-32)")
    engine = MODEL_ENGINE
    pins: list[str] = []
    extractive_facts: bool | None = None
    for item in (part.strip() for part in spec.split(",")):
        if not item:
            continue
        if item in _FACTS:
            if extractive_facts is not None:
                raise ConfigError(f"--variant {name}: facts: is given twice")
            extractive_facts = _FACTS[item]
            continue
        if item.startswith(_ENGINE):
            engine = item[len(_ENGINE) :]
            if engine not in engines.names():
                known = ", ".join(_ENGINE + n for n in engines.names())
                raise ConfigError(f"--variant {name}: unknown engine {engine!r} (known: {known})")
            continue
        prompt = prompts.load(item)  # a PromptError names the prompt and its versions
        if prompt.meta.name in {prompts.parse_ref(p)[0] for p in pins}:
            raise ConfigError(f"--variant {name}: {prompt.meta.name} is pinned twice")
        pins.append(f"{prompt.meta.name}@v{prompt.meta.version}")
    if engine != MODEL_ENGINE and (pins or extractive_facts is not None):
        raise ConfigError(f"--variant {name}: {_ENGINE}{engine} asks no model, so takes no pins")
    return Variant(name, tuple(pins), engine, extractive_facts)


def plan(variants: list[Variant], models: list[str]) -> list[Run]:
    """Every model-backed variant with every model, in the order given; names are unique."""
    seen: set[str] = set()
    runs: list[Run] = []
    for variant in variants:
        if variant.name in seen:
            raise ConfigError(f"--variant {variant.name} is given twice")
        seen.add(variant.name)
        if variant.engine != MODEL_ENGINE:
            runs.append(Run(variant, None))
            continue
        if not models:
            raise ConfigError(
                f"--variant {variant.name} needs a model: pass --model (and --base-url), "
                "or make it offline with engine:extractive"
            )
        runs.extend(Run(variant, model) for model in models)
    return runs
