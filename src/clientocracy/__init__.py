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

from ._align import Alignment, AlignmentError
from ._anchors import QuoteError, find_passage
from ._arrow import (
    ARROW_COLUMNS,
    ARROW_SCHEMA_VERSION,
    HF_DATA_FILE,
    arrow_schema,
    to_arrow,
    write_hf_dataset,
    write_parquet,
)
from ._authoring import Draft
from ._bundled import (
    companies,
    company,
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
from ._compiled import Provenance, StaleCorpusWarning, compile
from ._corpus import CompanyLike, Corpus, LanguageLike, PrincipleLike, StoryCollection
from ._csv_import import import_csv
from ._errors import CorpusError, UnknownValueError
from ._export import FORMATS, ExportFormat, as_dict, export, segment_rows
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
from ._repair import RepairReport, repair
from ._search import search_terms
from ._version import __version__

__all__ = [
    "ARROW_COLUMNS",
    "ARROW_SCHEMA_VERSION",
    "CHANNELS",
    "FORMATS",
    "HF_DATA_FILE",
    "Alignment",
    "AlignmentError",
    "Company",
    "CompanyLike",
    "Corpus",
    "CorpusError",
    "Draft",
    "ExportFormat",
    "Language",
    "LanguageLike",
    "Principle",
    "PrincipleLike",
    "Provenance",
    "Quote",
    "QuoteError",
    "RepairReport",
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
    "find_passage",
    "import_csv",
    "language",
    "languages",
    "load",
    "name_key",
    "normalize",
    "principle",
    "principles",
    "repair",
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
