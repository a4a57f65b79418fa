"""Bring the interface's translations up to date with the code, and compile them.

Run after changing any message of the command line (in `src/clientocracy/_cli/`) or
any message template of the library (marked with `N_`, see `_messages.py`):

    python scripts/update_translations.py

It extracts the messages into `locale/clientocracy.pot`, merges them into the
Russian and Persian catalogs (`locale/{ru,fa}/LC_MESSAGES/clientocracy.po`:
a new message arrives untranslated, a removed one is dropped), and compiles
each catalog into the `.mo` file the package ships. Translate the new
messages in the `.po` files and run it again. It needs Babel (in the `test`
extra). The test suite checks that every message is translated and that the
`.mo` files are compiled from the `.po` files as they are.

The compiled files are kept in the repository, rather than made by a build
hook, so that building the package needs nothing but hatchling.
"""

from __future__ import annotations

import io
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
#: Every module: the library's error messages are translated on the command line too.
SOURCES = ROOT / "src" / "clientocracy"
LOCALE = ROOT / "src" / "clientocracy" / "locale"
DOMAIN = "clientocracy"
LANGUAGES = ("ru", "fa")
#: The functions that mark a message, and which of their arguments are its forms.
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "N_plural": (1, 2)}


def template() -> Catalog:
    """Every message the code marks, in a catalog without translations."""
    catalog = Catalog(domain=DOMAIN, project="clientocracy", fuzzy=False)
    # File by file: extract_from_dir skips folders whose names start with
    # "_", which every subpackage's does.
    for path in sorted(SOURCES.rglob("*.py")):
        for _line, message, comments, context in extract_from_file(
            "python", str(path), keywords=KEYWORDS, comment_tags=("Translators:",)
        ):
            catalog.add(message, None, auto_comments=comments, context=context)
    return catalog


def catalog_path(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def compiled(catalog: Catalog) -> bytes:
    """The `.mo` file of *catalog*."""
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()


def main() -> None:
    pot = template()
    with (LOCALE / f"{DOMAIN}.pot").open("wb") as file:
        write_po(file, pot, no_location=True, sort_output=True, width=100, omit_header=True)
    for language in LANGUAGES:
        path = catalog_path(language)
        with path.open("rb") as file:
            catalog = read_po(file, locale=language)
        catalog.update(pot, no_fuzzy_matching=True, update_header_comment=False)
        catalog.obsolete.clear()
        with path.open("wb") as file:
            write_po(file, catalog, no_location=True, sort_output=True, width=100)
        untranslated = [m.id for m in catalog if m.id and not m.string]
        path.with_suffix(".mo").write_bytes(compiled(catalog))
        print(f"{path}: {len(catalog)} messages, {len(untranslated)} untranslated")


if __name__ == "__main__":
    main()
