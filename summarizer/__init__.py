"""summarizer: structured, grounded summaries of messy Chinese and English documents.

The public API is what `__all__` lists; every module whose name starts with `_` is
internal and may change without notice.

>>> import summarizer
>>> result = summarizer.summarize("examples/zh_hans_county_news.txt", engine="extractive", cache=False)
>>> result.language
'zh-Hans'
>>> fact = result.facts[0]
>>> result.metadata.source.endswith("zh_hans_county_news.txt") and fact.end > fact.start
True
"""

from summarizer._api import AsyncSummarizer, Summarizer, asummarize, summarize
from summarizer._config import Settings, resolve
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
from summarizer._extracted import CitedValue, Extraction, ExtractionStats, ValueSpan
from summarizer._prompts import PromptRef
from summarizer._schemas import (
    Byline,
    Citation,
    ClaimStats,
    CleaningReport,
    CleaningStep,
    DocumentInfo,
    DocumentSummary,
    EndpointMeta,
    Entities,
    EntityMention,
    EntityStats,
    Fact,
    Failure,
    GroundingStats,
    Metadata,
    Record,
    SourceSpan,
    Usage,
)
from summarizer._version import __version__

__all__ = [
    "AsyncSummarizer",
    "BinaryDocument",
    "Byline",
    "Citation",
    "CitedValue",
    "ClaimStats",
    "CleaningReport",
    "CleaningStep",
    "ConfigError",
    "ContextOverflow",
    "DocumentError",
    "DocumentInfo",
    "DocumentNotFound",
    "DocumentSummary",
    "DocumentTooLarge",
    "EmptyDocument",
    "EndpointError",
    "EndpointMeta",
    "Entities",
    "EntityMention",
    "EntityStats",
    "Extraction",
    "ExtractionStats",
    "Fact",
    "Failure",
    "GroundingStats",
    "InvalidOutput",
    "Metadata",
    "ModelError",
    "NotAFile",
    "OutputError",
    "OutputTruncated",
    "PromptError",
    "PromptRef",
    "Record",
    "Settings",
    "SourceSpan",
    "Summarizer",
    "SummarizerError",
    "UnreadableDocument",
    "UnsupportedFormat",
    "Usage",
    "ValueSpan",
    "__version__",
    "asummarize",
    "resolve",
    "summarize",
]
