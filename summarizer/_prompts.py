"""Prompts: versioned data files, rendered with Jinja2, recorded with their hash.

A prompt lives at `prompts/<name>/v<N>.md` (shipped in the wheel as
`summarizer/prompt_files/`). Its front matter is validated strictly so a typo fails at load
time, and its SHA-256 goes into every result and every request header, so a prompt change
is visible in the output and makes stale cassettes fail loudly.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from summarizer._errors import PromptError

_PACKAGED = Path(__file__).resolve().parent / "prompt_files"
_SOURCE = Path(__file__).resolve().parent.parent / "prompts"
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_REF = re.compile(r"^(?P<name>[a-z][a-z0-9_]{0,63})(?:@v(?P<version>[0-9]{1,4}))?$")
_FRONT_MATTER = re.compile(r"\A---\n(?P<meta>.*?)\n---\n(?P<body>.*)\Z", re.S)


def prompt_dir() -> Path:
    """The installed copy in a wheel, else the repository's `prompts/`."""
    return _PACKAGED if _PACKAGED.is_dir() else _SOURCE


class Parameters(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    temperature: float = Field(default=0.0, ge=0.0, le=2.0)
    max_tokens: int = Field(default=1024, ge=16, le=32768)
    seed: int | None = None


class FrontMatter(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    version: int = Field(ge=1)
    description: str = Field(min_length=1)
    parameters: Parameters = Field(default_factory=Parameters)


class PromptRef(BaseModel):
    """What a result records about each prompt it used."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    version: int
    sha256: str

    @property
    def label(self) -> str:
        return f"{self.name}@v{self.version}#{self.sha256[:12]}"


@dataclass(frozen=True)
class Prompt:
    meta: FrontMatter
    body: str
    sha256: str
    path: Path

    @property
    def ref(self) -> PromptRef:
        return PromptRef(name=self.meta.name, version=self.meta.version, sha256=self.sha256)

    @property
    def parameters(self) -> Parameters:
        return self.meta.parameters

    def render(self, **context: Any) -> list[dict[str, str]]:
        """The system and user messages for this prompt and context."""
        template = _compiled(self.body)
        ctx = template.new_context(context)
        messages = []
        for role in ("system", "user"):
            block = template.blocks.get(role)
            if block is None:
                raise PromptError(f"{self.path}: no {{% block {role} %}}")
            messages.append({"role": role, "content": "".join(block(ctx)).strip()})
        return messages


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=False
    )


@lru_cache(maxsize=64)
def _compiled(body: str) -> jinja2.Template:
    return _environment().from_string(body)


def parse_ref(ref: str) -> tuple[str, int | None]:
    """`merge` or `merge@v2`; anything else, such as a path, is refused."""
    match = _REF.match(ref.strip())
    if match is None:
        raise PromptError(f"not a prompt name: {ref!r} (expected NAME or NAME@vN)")
    version = match.group("version")
    return match.group("name"), int(version) if version else None


def versions(name: str, directory: Path | None = None) -> list[int]:
    if not _NAME.match(name):
        raise PromptError(f"not a prompt name: {name!r}")
    folder = (directory or prompt_dir()) / name
    found = (re.fullmatch(r"v([0-9]{1,4})\.md", p.name) for p in folder.glob("v*.md"))
    return sorted(int(m.group(1)) for m in found if m)


def names(directory: Path | None = None) -> list[str]:
    root = directory or prompt_dir()
    return sorted(
        p.name
        for p in root.iterdir()
        if p.is_dir() and _NAME.match(p.name) and versions(p.name, root)
    )


def load(ref: str, directory: Path | None = None) -> Prompt:
    """Load `NAME` (its newest version) or `NAME@vN` from the prompt directory."""
    root = (directory or prompt_dir()).resolve()
    name, version = parse_ref(ref)
    available = versions(name, root)
    if not available:
        raise PromptError(f"no prompt named {name!r} in {root}")
    if version is None:
        version = available[-1]
    elif version not in available:
        listed = ", ".join(f"v{v}" for v in available)
        raise PromptError(f"prompt {name!r} has no v{version} (available: {listed})")
    path = (root / name / f"v{version}.md").resolve()
    if root not in path.parents:  # belt and braces: names are already restricted
        raise PromptError(f"prompt path escapes {root}: {path}")
    return _load_file(path, name, version)


@lru_cache(maxsize=64)
def _load_file(path: Path, name: str, version: int) -> Prompt:
    raw = path.read_bytes()
    match = _FRONT_MATTER.match(raw.decode("utf-8"))
    if match is None:
        raise PromptError(f"{path}: missing front matter between --- lines")
    try:
        data = yaml.safe_load(match.group("meta"))
        meta = FrontMatter.model_validate(data)
    except (yaml.YAMLError, ValidationError) as e:
        raise PromptError(f"{path}: invalid front matter: {e}") from e
    if meta.name != name or meta.version != version:
        raise PromptError(f"{path}: front matter says {meta.name}@v{meta.version}")
    try:
        _environment().parse(match.group("body"))
    except jinja2.TemplateSyntaxError as e:
        raise PromptError(f"{path}: template error on line {e.lineno}: {e.message}") from e
    return Prompt(meta, match.group("body"), hashlib.sha256(raw).hexdigest(), path)
