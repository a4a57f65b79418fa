"""Write the bundled corpus's search index, made in advance, into the package data.

Run after any change to the bundled catalog or to how texts are analysed:

    python scripts/build_search_index.py

The catalog is loaded with every check, its texts' hashes verified; the
index is made from those records, and the catalog's fingerprint is written
beside it (`catalog.checked`), so that the package builds these records
without checking them again (see `clientocracy._catalog.prechecked`). The
test suite checks that the files shipped are the ones this script makes.
"""

from __future__ import annotations

from pathlib import Path

from clientocracy._catalog.format import CATALOG_FILE
from clientocracy._catalog.loading import BUNDLED_INDEX_FILE, bundled_fingerprint, load_bundled
from clientocracy._catalog.prechecked import CHECKED_FILE
from clientocracy._search.index import serialize_index

DATA = Path(__file__).resolve().parents[1] / "src" / "clientocracy" / "data"


def main() -> None:
    catalog = (DATA / CATALOG_FILE).read_bytes()
    fingerprint = bundled_fingerprint(catalog)
    # Every check, hashes included: what passes here is what is built
    # unchecked at run time.
    store = load_bundled(verify_hashes=True)
    data = serialize_index(store, fingerprint)
    (DATA / BUNDLED_INDEX_FILE).write_bytes(data)
    (DATA / CHECKED_FILE).write_text(fingerprint + "\n", encoding="ascii")
    print(f"wrote {DATA / BUNDLED_INDEX_FILE} ({len(data):,} bytes) and {DATA / CHECKED_FILE}")


if __name__ == "__main__":
    main()
