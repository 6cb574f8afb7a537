"""summarizer: structured, grounded summaries of messy Chinese and English documents.

>>> from summarizer import summarize
>>> result = summarize("examples/zh_hans_county_news.txt")
>>> result.facts[0].evidence  # a verbatim span of the cleaned text
"""

from summarizer._chunking import Chunk, chunk_text, estimate_tokens, split_sentences
from summarizer._cleaning import CleanedText, clean
from summarizer._config import Settings, resolve
from summarizer._documents import Document, load
from summarizer._errors import (
    BinaryDocument,
    ConfigError,
    ContextOverflow,
    DocumentError,
    DocumentNotFound,
    DocumentTooLarge,
    EmptyDocument,
    EndpointError,
    InvalidOutput,
    ModelError,
    NotAFile,
    OutputError,
    OutputTruncated,
    PromptError,
    SummarizerError,
    UnreadableDocument,
    UnsupportedFormat,
)
from summarizer._language import detect as detect_language
from summarizer._pipeline import asummarize_document, summarize, summarize_document
from summarizer._schemas import DocumentSummary, Entities, Fact, Metadata

__all__ = [
    "BinaryDocument",
    "Chunk",
    "CleanedText",
    "ConfigError",
    "ContextOverflow",
    "Document",
    "DocumentError",
    "DocumentNotFound",
    "DocumentSummary",
    "DocumentTooLarge",
    "EmptyDocument",
    "EndpointError",
    "Entities",
    "Fact",
    "InvalidOutput",
    "Metadata",
    "ModelError",
    "NotAFile",
    "OutputError",
    "OutputTruncated",
    "PromptError",
    "Settings",
    "SummarizerError",
    "UnreadableDocument",
    "UnsupportedFormat",
    "asummarize_document",
    "chunk_text",
    "clean",
    "detect_language",
    "estimate_tokens",
    "load",
    "resolve",
    "split_sentences",
    "summarize",
    "summarize_document",
]
