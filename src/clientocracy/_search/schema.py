"""The search index's FTS5 table: what `compile()` writes and opening a compiled file expects.

Apart from the analysis, so that checking a compiled file's schema, which
every command on one does, imports none of the search code.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite3

__all__ = ["COLUMNS", "create_index_table"]

# Each field is a column of its own, so that a phrase never matches across
# the end of one field and the start of the next.
#
# A story has one row for each language it reads in: its original and each
# translation, so a hit can say which text matched and show it.
COLUMNS = ("title", "company", "summary", "body", "facets")


def create_index_table(db: sqlite3.Connection, table: str) -> None:
    """Create the FTS5 table of the search index, or explain that FTS5 is missing."""
    import sqlite3

    try:
        db.execute(
            f"CREATE VIRTUAL TABLE {table} USING fts5({', '.join(COLUMNS)}, "
            "tokenize='ascii', content='', detail=full)"
        )
    except sqlite3.OperationalError as error:
        raise RuntimeError(
            "clientocracy's search needs SQLite's FTS5 extension, which the sqlite3 module "
            f"of this Python lacks ({error}); use a Python built with FTS5 enabled "
            "(the python.org, Debian, Homebrew and conda builds all have it)"
        ) from None
