"""How a context window is shared between the prompt, the document text and the answer.

The answer budget and the chunk budget are derived together from the window, each with a
floor: a prompt's `max_tokens` is what it asks for on a roomy window, and on a small one
(2,048 tokens is common: small local models, Ollama's default) the answer gives up room
to the document text down to its floor, so a short note still fits in one call and a long
page takes more chunks. A window too small for even the floors is one clear error that
names the smallest window that would work.
"""

from __future__ import annotations

from dataclasses import dataclass

from summarizer._errors import ContextOverflow

MIN_ANSWER_TOKENS = 256  # room for a bounded answer of a few short claims
MIN_CHUNK_TOKENS = 128  # below this a chunk holds too little text to be worth a call
MARGIN_TOKENS = 64  # for the estimate's error and the chat template
ANSWER_SHARE = 0.4  # of what the prompt leaves, when the window is tight


@dataclass(frozen=True)
class Budget:
    answer: int  # max_tokens for the answer
    chunk: int  # tokens of document text per chunk


def plan(window: int, overhead: int, wanted_answer: int, wanted_chunk: int | None = None) -> Budget:
    """Split `window` (tokens) around a prompt that costs `overhead` tokens without text.

    `wanted_chunk` (--chunk-tokens) asks for smaller chunks: the answer then keeps what they
    leave, up to `wanted_answer`, instead of giving its room to text nobody asked for.
    """
    room = window - overhead - MARGIN_TOKENS
    floor = min(MIN_ANSWER_TOKENS, wanted_answer)
    if room < floor + MIN_CHUNK_TOKENS:
        smallest = overhead + MARGIN_TOKENS + floor + MIN_CHUNK_TOKENS
        raise ContextOverflow(
            f"the context window ({window} tokens) is too small: the prompt alone needs "
            f"~{overhead}, and a useful request needs a window of at least {smallest} tokens; "
            "use a model with a larger window, or pass --context-window if the server's is larger"
        )
    if room - wanted_answer >= MIN_CHUNK_TOKENS and wanted_answer <= room * (1 - ANSWER_SHARE):
        answer = wanted_answer  # a roomy window: the prompt gets what it asks for
    else:
        answer = min(wanted_answer, max(floor, int(room * ANSWER_SHARE)))
        if wanted_chunk:
            answer = max(answer, min(wanted_answer, room - wanted_chunk))
    chunk = room - answer
    return Budget(answer=answer, chunk=min(wanted_chunk or chunk, chunk))
