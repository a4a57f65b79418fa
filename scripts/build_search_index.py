"""Write the bundled corpus's search index, made in advance, into the package data.

Run after any change to the bundled catalog or to how texts are analysed:

    python scripts/build_search_index.py

The test suite checks that the file shipped is the one this script makes.
"""

from __future__ import annotations

from pathlib import Path

from clientocracy._catalog.format import CATALOG_FILE
from clientocracy._catalog.loading import BUNDLED_INDEX_FILE, bundled_fingerprint, load_bundled
from clientocracy._search.index import serialize_index

DATA = Path(__file__).resolve().parents[1] / "src" / "clientocracy" / "data"


def main() -> None:
    catalog = (DATA / CATALOG_FILE).read_bytes()
    data = serialize_index(load_bundled(), bundled_fingerprint(catalog))
    (DATA / BUNDLED_INDEX_FILE).write_bytes(data)
    print(f"wrote {DATA / BUNDLED_INDEX_FILE} ({len(data):,} bytes)")


if __name__ == "__main__":
    main()
