from __future__ import annotations

from pathlib import Path

import pytest

from summarizer import _engines as engines
from summarizer._config import Settings, resolve
from summarizer._errors import ConfigError

CONFIG = """
chunk_tokens = 900
model = "from-file"

[profiles.ollama]
base_url = "http://localhost:11434/v1"
model = "qwen2.5:7b"
"""


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(CONFIG)
    return path


def test_defaults_without_anything(tmp_path: Path) -> None:
    settings = resolve({}, environ={}, path=tmp_path / "none.toml")
    assert settings == Settings()
    assert engines.choose(settings) == "extractive"


def test_precedence_flag_over_env_over_file(config_file: Path) -> None:
    env = {"SUMMARIZER_MODEL": "from-env"}
    assert resolve({}, environ={}, path=config_file).model == "from-file"
    assert resolve({}, environ=env, path=config_file).model == "from-env"
    assert resolve({"model": "from-flag"}, environ=env, path=config_file).model == "from-flag"
    assert resolve({"model": None}, environ=env, path=config_file).model == "from-env"
    assert resolve({}, environ=env, path=config_file).chunk_tokens == 900


def test_openai_variables_are_the_fallback(tmp_path: Path) -> None:
    env = {"OPENAI_BASE_URL": "http://a/v1", "OPENAI_API_KEY": "sk-a", "SUMMARIZER_API_KEY": "sk-b"}
    settings = resolve({}, environ=env, path=tmp_path / "none.toml")
    assert settings.base_url == "http://a/v1"
    assert settings.api_key is not None and settings.api_key.get_secret_value() == "sk-b"
    assert "sk-b" not in repr(settings)


def test_profile(config_file: Path) -> None:
    settings = resolve({"profile": "ollama"}, environ={}, path=config_file)
    assert settings.model == "qwen2.5:7b"
    assert settings.chunk_tokens == 900
    assert engines.choose(settings) == "llm"


def test_unknown_profile_names_the_known_ones(config_file: Path) -> None:
    with pytest.raises(ConfigError, match="known: ollama"):
        resolve({"profile": "vllm"}, environ={}, path=config_file)


def test_bad_values_and_files(tmp_path: Path, config_file: Path) -> None:
    with pytest.raises(ConfigError, match="chunk_tokens"):
        resolve({"chunk_tokens": 3}, environ={}, path=config_file)
    broken = tmp_path / "broken.toml"
    broken.write_text("chunk_tokens = = 3")
    with pytest.raises(ConfigError, match="cannot read config file"):
        resolve({}, environ={}, path=broken)
    unknown = tmp_path / "unknown.toml"
    unknown.write_text("colour = 'blue'")
    with pytest.raises(ConfigError, match="colour"):
        resolve({}, environ={}, path=unknown)


def test_facts_are_cited_sentences_unless_a_flag_or_the_file_says_otherwise(
    tmp_path: Path,
) -> None:
    """`summarizer eval` chose extractive facts (README); the model's words stay one switch away."""
    assert resolve({}, environ={}, path=tmp_path / "none.toml").extractive_facts is True
    paraphrased = tmp_path / "paraphrased.toml"
    paraphrased.write_text("extractive_facts = false\n", encoding="utf-8")
    assert resolve({}, environ={}, path=paraphrased).extractive_facts is False
    flag = {"extractive_facts": True}  # --extractive-facts over the file
    assert resolve(flag, environ={}, path=paraphrased).extractive_facts is True
