"""TEMPORARY re-exports, for modules not yet moved to `_tokens`, `_sentences` and `_packing`.

The chunking module was split in three while _pipeline, _llm and the package's __init__ were
being rewritten elsewhere; they still import from here. The architecture change that moves
their imports removes this module. Nothing new should import it.
"""

from summarizer._packing import Chunk, chunk_text
from summarizer._sentences import Span, split_sentences
from summarizer._tokens import TokenCosts, estimate_tokens

__all__ = ["Chunk", "Span", "TokenCosts", "chunk_text", "estimate_tokens", "split_sentences"]
