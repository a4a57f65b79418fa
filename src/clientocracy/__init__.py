"""clientocracy: stories of companies that did more for a customer than they owed.

A curated, typed, multilingual dataset of customer-service stories taken
from two public texts (one Russian, one Persian), with a query API by
company, principle and language that accepts names as people write them.
Importing the package reads nothing: the dataset is loaded on first use.

Examples:
    >>> import clientocracy
    >>> tuple(s.company.name for s in clientocracy.stories(principle="no red tape"))
    ('Trader Joe’s', 'Zappos')
"""

from ._corpus.corpus import CompanyLike, Corpus, LanguageLike, PrincipleLike, StoryCollection
from ._corpus.functions import (
    companies,
    company,
    compile,
    language,
    languages,
    load,
    principle,
    principles,
    search,
    sources,
    stories,
    story,
)
from ._errors import CorpusError, UnknownValueError
from ._export.arrow import (
    ARROW_COLUMNS,
    ARROW_SCHEMA_VERSION,
    HF_DATA_FILE,
    arrow_schema,
    to_arrow,
    write_hf_dataset,
    write_parquet,
)
from ._export.records import FORMATS, ExportFormat, as_dict, export, segment_rows
from ._normalize import name_key, normalize
from ._records import (
    CHANNELS,
    Company,
    Language,
    Principle,
    Quote,
    SearchHit,
    Segment,
    Snippet,
    Source,
    Span,
    Story,
    Translation,
)
from ._search.analysis import search_terms
from ._stores.compiled import Provenance, StaleCorpusWarning
from ._version import __version__

__all__ = [
    "ARROW_COLUMNS",
    "ARROW_SCHEMA_VERSION",
    "CHANNELS",
    "FORMATS",
    "HF_DATA_FILE",
    "Company",
    "CompanyLike",
    "Corpus",
    "CorpusError",
    "ExportFormat",
    "Language",
    "LanguageLike",
    "Principle",
    "PrincipleLike",
    "Provenance",
    "Quote",
    "SearchHit",
    "Segment",
    "Snippet",
    "Source",
    "Span",
    "StaleCorpusWarning",
    "Story",
    "StoryCollection",
    "Translation",
    "UnknownValueError",
    "__version__",
    "arrow_schema",
    "as_dict",
    "companies",
    "company",
    "compile",
    "export",
    "language",
    "languages",
    "load",
    "name_key",
    "normalize",
    "principle",
    "principles",
    "search",
    "search_terms",
    "segment_rows",
    "sources",
    "stories",
    "story",
    "to_arrow",
    "write_hf_dataset",
    "write_parquet",
]


def _report_as_public() -> None:
    # Tracebacks, reprs and help() then name `clientocracy.UnknownValueError`,
    # where users import it from, not the private module it is defined in.
    # Pickles keep working: the public name resolves to the same object.
    import types

    namespace = globals()
    for name in __all__:
        value = namespace[name]
        if isinstance(value, type | types.FunctionType):
            value.__module__ = __name__


_report_as_public()
