"""Reading a corpus: parse the catalog, check everything, then build records.

A corpus is a catalog file (`catalog.json`) and the text files it names.
Loading checks the whole catalog first and collects every problem it finds;
records are built only when there is none, so a corpus loads whole or not
at all.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from .._errors import CorpusError
from .._messages import N_, Message
from .format import (
    CATALOG_FILE,
    FORMAT,
    MAX_CATALOG_BYTES,
    MAX_CORPUS_BYTES,
    MAX_TEXT_BYTES,
    SECTIONS,
    SUPPORTED_VERSIONS,
    VERSION,
    ReadFile,
)

if TYPE_CHECKING:
    from .._corpus.corpus import Corpus
    from .._stores.memory import MemoryStore
    from .checks import Problems

__all__ = [
    "CATALOG_FILE",
    "FORMAT",
    "MAX_CATALOG_BYTES",
    "MAX_CORPUS_BYTES",
    "MAX_TEXT_BYTES",
    "SUPPORTED_VERSIONS",
    "VERSION",
    "load",
    "load_bundled",
    "parse_corpus",
    "read_bundled",
]


def parse_corpus(
    catalog_bytes: bytes,
    read_file: ReadFile,
    *,
    catalog: str,
    base: Corpus | None = None,
    verify_hashes: bool = True,
) -> MemoryStore:
    """Parse and check a catalog and its texts; return their records or raise.

    *catalog* names the catalog file in problem messages; *read_file* reads
    a text file named by the catalog and raises `OSError` (or
    `CorpusError`) if it cannot. References that
    the catalog does not define are looked up by id in *base*; the records
    found there become part of the corpus. With *verify_hashes* false, the
    texts' SHA-256 is taken from the catalog instead of computed (for the
    bundled data, whose integrity the installer and the test suite already
    check).
    """
    with _collector_paused():
        return _parse_corpus(catalog_bytes, read_file, catalog, base, verify_hashes)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while a catalog's records are built.

    Loading makes millions of objects, none in a cycle, and each few
    thousand of them set off a collection that walks all the others: with
    translations, that walking took half of the time of a load.
    """
    import gc

    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _parse_corpus(
    catalog_bytes: bytes,
    read_file: ReadFile,
    catalog: str,
    base: Corpus | None,
    verify_hashes: bool,
) -> MemoryStore:
    # The checks are imported here, not with the module: the bundled
    # catalog, checked once before release, is built without them.
    from .._stores.memory import MemoryStore
    from .build import (
        Build,
        Resolver,
        build_companies,
        build_languages,
        build_principles,
        build_sources,
        build_stories,
    )
    from .checks import Problems, check_names, check_records

    problems = Problems(catalog)
    data = _parse_json(catalog_bytes, catalog, problems)
    version = _check_top_level(data, problems)
    resolver = Resolver(base, problems)
    good = check_records(data, version, problems, resolver.broken)
    build = Build(catalog, version, problems, resolver)
    build_languages(good["languages"], build)
    build_companies(good["companies"], build)
    build_sources(good["sources"], build, read_file, verify_hashes=verify_hashes)
    build_principles(good["principles"], build)
    build_stories(good["stories"], build)
    if problems:
        raise CorpusError(problems.lines)

    places = build.places
    borrowed = resolver.borrowed
    if base is not None:
        for (facet, ident), _record in borrowed.items():
            places[(facet, ident)] = base.place(facet, ident)

    def with_borrowed(facet: str, local: Mapping[str, Any]) -> list[Any]:
        extra = [r for (f, i), r in borrowed.items() if f == facet and i not in local]
        return [*extra, *local.values()]

    store = MemoryStore(
        languages=with_borrowed("language", build.languages),
        companies=with_borrowed("company", build.companies),
        principles=with_borrowed("principle", build.principles),
        sources=with_borrowed("source", build.sources),
        stories=build.stories,
        places=places,
    )
    check_names(store, problems)
    if problems:
        raise CorpusError(problems.lines)
    return store


def _parse_json(catalog_bytes: bytes, catalog: str, problems: Problems) -> dict[str, Any]:
    """Decode the catalog file into its top-level object, or raise `CorpusError`."""
    from .._io.strict_json import decode_catalog
    from .checks import TOP_LEVEL, describe

    data = decode_catalog(catalog_bytes, catalog=catalog)
    if not isinstance(data, dict):
        problems.add(TOP_LEVEL, Message(N_("expected an object, got {kind}"), kind=describe(data)))
        raise CorpusError(problems.lines)
    return data


def _check_top_level(data: Mapping[str, Any], problems: Problems) -> int:
    """Check the format and version fields; return the version to read the rest as."""
    from .checks import TOP_LEVEL, field

    if data.get("format") != FORMAT:
        problems.add(
            field("format"),
            Message(
                N_("expected {wanted!r}, got {value!r}"), wanted=FORMAT, value=data.get("format")
            ),
        )
    version = data.get("version")
    if type(version) is not int or version not in SUPPORTED_VERSIONS:
        problems.add(
            field("version"),
            Message(
                N_("this release reads versions {first} and {last}, got {value!r}"),
                first=SUPPORTED_VERSIONS[0],
                last=SUPPORTED_VERSIONS[-1],
                value=version,
            ),
        )
        # Read the rest as the newest version, to report its problems too.
        version = VERSION
    for name in sorted(set(data) - {"format", "version", *SECTIONS}):
        problems.add(TOP_LEVEL, Message(N_("unknown field {name!r}"), name=name))
    return int(version)


def load_bundled(*, verify_hashes: bool = False) -> MemoryStore:
    """Load the records of the corpus that ships inside the package.

    Its texts' hashes are not recomputed by default: pip checks every
    installed file against the wheel's RECORD, and the test suite checks the
    texts against their published hashes, so this saves start-up time only.
    """
    folder = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data")
    if os.path.isfile(os.path.join(folder, CATALOG_FILE)):
        # Installed as files, as pip installs it: read them directly.
        # importlib_resources (for a zipped package) costs more start-up
        # time than reading the whole dataset.
        def read_file(name: str) -> bytes:
            with open(os.path.join(folder, *name.split("/")), "rb") as file:
                return file.read()

    else:  # pragma: no cover - a zipped package
        import importlib_resources

        data = importlib_resources.files("clientocracy") / "data"

        def read_file(name: str) -> bytes:
            return (data / name).read_bytes()

    return read_bundled(read_file, verify_hashes=verify_hashes)


def read_bundled(read_file: ReadFile, *, verify_hashes: bool = False) -> MemoryStore:
    """The records of the bundled corpus, whose files *read_file* reads.

    The catalog is built without its full checks when it is the very
    catalog that was checked in full before release (its fingerprint is the
    one recorded beside it, see `prechecked`) and no hash is to be verified;
    otherwise every check runs, as for any corpus.
    """
    catalog = read_file(CATALOG_FILE)
    fingerprint = bundled_fingerprint(catalog)
    shown = f"clientocracy/data/{CATALOG_FILE}"
    store = None
    if not verify_hashes:
        import json

        from .prechecked import build_prechecked, checked_fingerprint

        if checked_fingerprint(read_file) == fingerprint:
            data = json.loads(catalog)
            if data.get("version") == VERSION:
                store = build_prechecked(data, read_file, shown)
    if store is None:
        store = parse_corpus(catalog, read_file, catalog=shown, verify_hashes=verify_hashes)

    def read_index() -> bytes | None:
        try:
            return read_file(BUNDLED_INDEX_FILE)
        except OSError:
            return None

    store.prebuilt_index = (read_index, fingerprint)
    return store


#: The search index of the bundled corpus, made in advance (see
#: `scripts/build_search_index.py`): analysing its texts on the first search
#: would cost more than the rest of the command.
BUNDLED_INDEX_FILE = "search-index.sqlite"


def bundled_fingerprint(catalog: bytes) -> str:
    """What the bundled search index must have been made from: this catalog.

    A checksum, not a cryptographic hash: it tells a stale file from a
    current one (both ship in the package), and hashlib would cost more
    start-up time than the search it speeds up.
    """
    import zlib

    return f"catalog-crc32:{zlib.crc32(catalog):08x}:{len(catalog)}"


def load(path: str | os.PathLike[str], *, base: Corpus | None) -> MemoryStore:
    """Load the records of a folder holding `catalog.json` and its text files.

    *path* is the folder, or the catalog file in it. Ids the catalog refers
    to but does not define (companies, principles, languages, sources) are
    looked up in *base*; the records found there become part of the loaded
    corpus. Raises `CorpusError` listing every
    problem found; nothing is loaded unless all is well.
    """
    from .._io.files import open_corpus

    given = os.fspath(path)
    # The folder is opened once and every file, the catalog too, is opened
    # relative to it and checked after opening (see _files): a corpus folder
    # that changes while it loads cannot slip a link or a pipe in.
    folder, catalog_name, catalog_shown = open_corpus(
        given, CATALOG_FILE, total_limit=MAX_CORPUS_BYTES
    )
    with folder:
        catalog_bytes = folder.read(catalog_name, MAX_CATALOG_BYTES, catalog_shown)

        def read_file(name: str) -> bytes:
            return folder.read(name, MAX_TEXT_BYTES, os.path.join(given, name))

        store = parse_corpus(catalog_bytes, read_file, catalog=catalog_shown, base=base)
    # Where the records came from, so that a compiled file can tell when
    # its catalog has changed since.
    catalog_path = os.path.abspath(catalog_shown)
    with contextlib.suppress(OSError):
        info = os.stat(catalog_path)
        store.origins = ((catalog_path, info.st_size, info.st_mtime_ns),)
    return store
