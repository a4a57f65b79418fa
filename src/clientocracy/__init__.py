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

from __future__ import annotations

import importlib

from ._version import __version__

# typing is not imported at run time: `clientocracy --version` would pay for it.
TYPE_CHECKING = False

if TYPE_CHECKING:
    from typing import Any

    from ._authoring.align import Alignment, AlignmentError
    from ._authoring.csv_import import import_csv
    from ._authoring.draft import Draft
    from ._authoring.passages import QuoteError, find_passage
    from ._authoring.repair import RepairReport, repair
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
        random,
        sample,
        search,
        sources,
        stories,
        story,
    )
    from ._errors import CorpusError, UnknownValueError
    from ._export.arrow import (
        ARROW_COLUMNS,
        ARROW_SCHEMA_VERSION,
        ROW_GROUP_BYTES,
        ROW_GROUP_ROWS,
        PartitionBy,
        arrow_batches,
        arrow_schema,
        to_arrow,
        write_parquet,
    )
    from ._export.handout import HANDOUT_FORMATS, HandoutFormat, handout
    from ._export.hub import HF_DATA_FILE, HF_SHARD_BYTES, write_hf_dataset
    from ._export.records import (
        FORMATS,
        SEGMENT_COLUMNS,
        ExportFormat,
        as_dict,
        csv_columns,
        export,
        iter_export,
        segment_rows,
    )
    from ._normalize import name_key, normalize
    from ._records import (
        CHANNELS,
        Company,
        Language,
        Principle,
        Quote,
        Segment,
        Source,
        Span,
        Story,
        Translation,
    )
    from ._search.analysis import search_terms
    from ._search.hits import SearchHit, Snippet
    from ._stores.compiled import Provenance, StaleCorpusWarning


__all__ = [
    "ARROW_COLUMNS",
    "ARROW_SCHEMA_VERSION",
    "CHANNELS",
    "FORMATS",
    "HANDOUT_FORMATS",
    "HF_DATA_FILE",
    "HF_SHARD_BYTES",
    "ROW_GROUP_BYTES",
    "ROW_GROUP_ROWS",
    "SEGMENT_COLUMNS",
    "Alignment",
    "AlignmentError",
    "Company",
    "CompanyLike",
    "Corpus",
    "CorpusError",
    "Draft",
    "ExportFormat",
    "HandoutFormat",
    "Language",
    "LanguageLike",
    "PartitionBy",
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
    "arrow_batches",
    "arrow_schema",
    "as_dict",
    "companies",
    "company",
    "compile",
    "csv_columns",
    "export",
    "find_passage",
    "handout",
    "import_csv",
    "iter_export",
    "language",
    "languages",
    "load",
    "name_key",
    "normalize",
    "principle",
    "principles",
    "random",
    "repair",
    "sample",
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


# Where each public name is defined. The package imports a module the first
# time one of its names is used, so that `import clientocracy` and the
# command line's `--version` and `--help` cost no more than Python itself.
_LAZY = {
    "Alignment": "._authoring.align",
    "AlignmentError": "._authoring.align",
    "Draft": "._authoring.draft",
    "QuoteError": "._authoring.passages",
    "RepairReport": "._authoring.repair",
    "find_passage": "._authoring.passages",
    "import_csv": "._authoring.csv_import",
    "repair": "._authoring.repair",
    "ARROW_COLUMNS": "._export.arrow",
    "ARROW_SCHEMA_VERSION": "._export.arrow",
    "CHANNELS": "._records",
    "Company": "._records",
    "CompanyLike": "._corpus.corpus",
    "Corpus": "._corpus.corpus",
    "CorpusError": "._errors",
    "ExportFormat": "._export.records",
    "FORMATS": "._export.records",
    "HANDOUT_FORMATS": "._export.handout",
    "HandoutFormat": "._export.handout",
    "HF_DATA_FILE": "._export.hub",
    "HF_SHARD_BYTES": "._export.hub",
    "PartitionBy": "._export.arrow",
    "ROW_GROUP_BYTES": "._export.arrow",
    "ROW_GROUP_ROWS": "._export.arrow",
    "SEGMENT_COLUMNS": "._export.records",
    "arrow_batches": "._export.arrow",
    "csv_columns": "._export.records",
    "iter_export": "._export.records",
    "Language": "._records",
    "LanguageLike": "._corpus.corpus",
    "Principle": "._records",
    "PrincipleLike": "._corpus.corpus",
    "Provenance": "._stores.compiled",
    "Quote": "._records",
    "SearchHit": "._search.hits",
    "Segment": "._records",
    "Snippet": "._search.hits",
    "Source": "._records",
    "Span": "._records",
    "StaleCorpusWarning": "._stores.compiled",
    "Story": "._records",
    "StoryCollection": "._corpus.corpus",
    "Translation": "._records",
    "UnknownValueError": "._errors",
    "arrow_schema": "._export.arrow",
    "as_dict": "._export.records",
    "companies": "._corpus.functions",
    "company": "._corpus.functions",
    "compile": "._corpus.functions",
    "export": "._export.records",
    "handout": "._export.handout",
    "language": "._corpus.functions",
    "languages": "._corpus.functions",
    "load": "._corpus.functions",
    "name_key": "._normalize",
    "normalize": "._normalize",
    "principle": "._corpus.functions",
    "principles": "._corpus.functions",
    "random": "._corpus.functions",
    "sample": "._corpus.functions",
    "search": "._corpus.functions",
    "search_terms": "._search.analysis",
    "segment_rows": "._export.records",
    "sources": "._corpus.functions",
    "stories": "._corpus.functions",
    "story": "._corpus.functions",
    "to_arrow": "._export.arrow",
    "write_hf_dataset": "._export.hub",
    "write_parquet": "._export.arrow",
}


# Defined for the interpreter only: to a type checker, a name the package does
# not export stays an error.
if not TYPE_CHECKING:

    def __getattr__(name: str) -> Any:
        module = _LAZY.get(name)
        if module is None:
            raise AttributeError(f"module 'clientocracy' has no attribute {name!r}")
        value = getattr(importlib.import_module(module, __name__), name)
        globals()[name] = value
        return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
