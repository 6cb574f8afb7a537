"""A GGUF file run in-process: llama.cpp's server app behind an ASGI transport.

The model then looks like any other endpoint, so probing, instructor, grounding and the
cache all work unchanged. Needs the `local` extra (llama-cpp-python[server]).
"""

from __future__ import annotations

from pathlib import Path

import httpx2

from summarizer._errors import ConfigError
from summarizer._llm.endpoint import DEFAULT_CONTEXT_WINDOW

LOCAL_BASE_URL = "http://local.invalid/v1"


def local_http_client(model_file: Path, context_window: int | None) -> httpx2.AsyncClient:
    if not model_file.is_file():
        raise ConfigError(f"{model_file}: no such model file")
    try:
        from llama_cpp.server.app import create_app
        from llama_cpp.server.settings import ModelSettings, ServerSettings
    except ImportError as e:
        raise ConfigError(
            "--model-file needs the local extra: pip install 'summarizer[local]'"
        ) from e
    app = create_app(
        server_settings=ServerSettings(),
        model_settings=[
            ModelSettings(
                model=str(model_file),
                model_alias=model_file.stem,
                n_ctx=context_window or DEFAULT_CONTEXT_WINDOW,
                verbose=False,
            )
        ],
    )
    return httpx2.AsyncClient(transport=httpx2.ASGITransport(app=app), timeout=None)
