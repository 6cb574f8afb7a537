"""Settings, resolved once: flag > environment > config file > default.

This is the only module that reads the environment. The config file is TOML in the user's
config directory (or `SUMMARIZER_CONFIG`); top-level keys are defaults, and
`[profiles.NAME]` tables override them when `--profile NAME` is given:

    chunk_tokens = 3000

    [profiles.ollama]
    base_url = "http://localhost:11434/v1"
    model = "qwen2.5:7b"
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator

from summarizer._errors import ConfigError

ModeName = Literal["auto", "json_schema", "json_object_schema", "tools", "json_object", "md_json"]

ENV_VARS: dict[str, tuple[str, ...]] = {
    "base_url": ("SUMMARIZER_BASE_URL", "OPENAI_BASE_URL"),
    "model": ("SUMMARIZER_MODEL",),
    "api_key": ("SUMMARIZER_API_KEY", "OPENAI_API_KEY"),
    "engine": ("SUMMARIZER_ENGINE",),
    "profile": ("SUMMARIZER_PROFILE",),
    "mode": ("SUMMARIZER_MODE",),
    "cache_dir": ("SUMMARIZER_CACHE_DIR",),
    "schemas_dir": ("SUMMARIZER_SCHEMAS_DIR",),
}


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    engine: str = Field(default="auto", description="auto, or an engine's name.")
    base_url: str | None = Field(
        default=None, description="An endpoint, or several separated by commas: a pool."
    )
    model: str | None = None
    api_key: SecretStr | None = None
    chunk_tokens: int | None = Field(
        default=None,
        ge=64,
        le=1_000_000,
        description="Token budget per chunk; by default the extractive engine uses 1500 and the "
        "llm engine as much as the model's context window leaves after the prompt and answer.",
    )
    chunk_overlap: int = Field(default=64, ge=0)
    profile: str | None = None

    # The llm engine.
    mode: ModeName = "auto"
    context_window: int | None = Field(default=None, ge=512)
    concurrency: int = Field(default=4, ge=1, le=256)
    timeout: float = Field(default=300.0, gt=0, description="Seconds per model request.")
    max_retries: int = Field(default=4, ge=0, le=20, description="Transport retries per request.")
    backoff: float = Field(
        default=1.0, ge=0, description="First backoff in seconds; doubles, jittered."
    )
    reasks: int = Field(default=1, ge=0, le=5, description="Validation re-asks per request.")
    cache: bool = True
    cache_dir: Path | None = None
    language: str | None = Field(default=None, description="Write the summary in this language.")
    prompts: tuple[str, ...] = Field(default=(), description="NAME@vN pins, e.g. merge@v1.")
    extractive_facts: bool = Field(
        default=True,  # `summarizer eval` decided it: see README, "Choosing prompts and models"
        description="Citing prompts (v2 on): a fact's statement is its cited sentence, verbatim; "
        "False: in the model's own words.",
    )
    model_file: Path | None = None

    # Your own fields (`--schema`, `_custom.py`).
    schema_spec: str | None = Field(
        default=None, description="A JSON Schema file, module:Class, a saved name, or fields."
    )
    summary: bool = Field(default=True, description="False (--no-summary): the fields alone.")
    schemas_dir: Path | None = Field(default=None, description="Where saved schemas are kept.")

    # Batches on a Ray cluster (`--executor ray`) and table inputs (Parquet, JSON Lines).
    ray_address: str | None = Field(
        default=None, description="None starts a local cluster; 'auto' joins the one running."
    )
    ray_actors: int | None = Field(default=None, ge=1, description="Default: the cluster's CPUs.")
    ray_batch: int | None = Field(
        default=None, ge=1, description="Documents each actor holds in flight at once."
    )
    text_column: str = "text"
    id_column: str | None = Field(default=None, description="Default: the row's index.")

    @property
    def base_urls(self) -> tuple[str, ...]:
        """The endpoint pool: every URL of `base_url`, in order (one, for most settings)."""
        return tuple(self.base_url.split(",")) if self.base_url else ()

    @property
    def model_configured(self) -> bool:
        return bool(self.model or self.model_file)

    @property
    def schemas_path(self) -> Path:
        """`summarizer schemas save` keeps them here: the user config directory by default."""
        if self.schemas_dir is not None:
            return self.schemas_dir
        import platformdirs

        return platformdirs.user_config_path("summarizer") / "schemas"

    @property
    def cache_path(self) -> Path | None:
        if not self.cache:
            return None
        if self.cache_dir is not None:
            return self.cache_dir / "cache.sqlite3"
        import platformdirs

        return platformdirs.user_cache_path("summarizer") / "cache.sqlite3"

    def __init__(self, **data: Any) -> None:
        """Invalid settings are a ConfigError (a one-line message), like every error of ours."""
        try:
            super().__init__(**data)
        except ValidationError as e:
            first = e.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "settings"
            raise ConfigError(f"invalid setting {where}: {first['msg']}") from e

    @field_validator("base_url", mode="before")
    @classmethod
    def _pool(cls, value: Any) -> Any:
        """A pool as a list (TOML, a repeated flag) becomes the comma list the environment gives."""
        if isinstance(value, list | tuple):
            return ",".join(str(v) for v in value) or None
        return value

    @field_validator("base_url")
    @classmethod
    def _valid_url(cls, value: str | None) -> str | None:
        """URLs the HTTP client can use; checked here so a typo is a config error."""
        if value is None:
            return None
        return ",".join(_checked_url(url) for url in value.split(","))

    @field_validator("api_key", mode="before")
    @classmethod
    def _strip_key(cls, value: Any) -> Any:
        """A key from a CRLF `.env` file ends in `\r`; whitespace is never part of a key."""
        if isinstance(value, SecretStr):
            value = value.get_secret_value()
        if isinstance(value, str):
            return value.strip() or None
        return value


def _checked_url(value: str) -> str:
    value = value.strip()
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018  (raises on a port that is not a number)
    except ValueError as e:
        raise ValueError(f"not a usable URL ({e})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("must be an http:// or https:// URL with a host")
    return value


def config_path(environ: Mapping[str, str] | None = None) -> Path:
    env = os.environ if environ is None else environ
    if explicit := env.get("SUMMARIZER_CONFIG"):
        return Path(explicit)
    import platformdirs

    return platformdirs.user_config_path("summarizer") / "config.toml"


def resolve(
    flags: Mapping[str, Any] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    path: Path | None = None,
) -> Settings:
    """Merge the four layers; a flag that is None, or a repeated flag never given, is not given."""
    env = os.environ if environ is None else environ
    given = {k: v for k, v in (flags or {}).items() if v is not None and v != ()}
    from_env = {
        key: value
        for key, names in ENV_VARS.items()
        if (value := next((env[n] for n in names if env.get(n)), None)) is not None
    }
    profile = given.get("profile") or from_env.get("profile")
    from_file = _read_file(path or config_path(env), profile)
    merged = {**from_file, **from_env, **given}
    return Settings(**merged)


def _read_file(path: Path, profile: str | None) -> dict[str, Any]:
    if path.exists() and not path.is_file():
        raise ConfigError(f"{path}: the config file is not a regular file")
    if not path.is_file():
        if profile:
            raise ConfigError(
                f"profile {profile!r} asked for, but there is no config file at {path}"
            )
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise ConfigError(f"{path}: cannot read config file: {e}") from e
    profiles = data.pop("profiles", {})
    if not isinstance(profiles, dict):
        raise ConfigError(f"{path}: 'profiles' must be a table of tables")
    if profile is None:
        return data
    if profile not in profiles:
        known = ", ".join(sorted(profiles)) or "none"
        raise ConfigError(f"{path}: no profile {profile!r} (known: {known})")
    chosen = profiles[profile]
    if not isinstance(chosen, dict):
        raise ConfigError(f"{path}: [profiles.{profile}] must be a table of settings")
    return {**data, **chosen, "profile": profile}
