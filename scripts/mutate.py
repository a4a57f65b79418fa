"""Planned mutation testing: plant known bugs in the package, one at a time, and run its tests.

Coverage tells that a line ran; a mutation tells whether a test would notice
that line being wrong. Each mutation below is a bug a real change could
introduce (an off-by-one at a limit, a check left out, a character class cut
short), written as the exact snippet it replaces, with the tests that should
catch it. For each one, this script copies the repository to a temporary
folder, plants the bug there, runs those tests with a time limit, and reports
the mutant *killed* (a test failed, or the run hung and was stopped) or
*survived* (every test passed: a gap in the suite). The working tree is never
changed.

Usage (from the repository's root, with the test extra installed)::

    python scripts/mutate.py                  # every mutation
    python scripts/mutate.py files search     # the mutations of some areas
    python scripts/mutate.py --list           # what is planned, by area
    python scripts/mutate.py --json out.json  # also write the results

A snippet that is no longer in its file (the code changed) is reported as
*stale*: update the mutation, or remove it with the code it tested. The
planned list is the record of what the suite is known to catch; add a
mutation with every bug fixed, and a test that kills it.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "src/clientocracy"
#: A run of one mutant's tests is stopped after this many seconds; a mutant
#: that makes the tests hang is killed (pytest-timeout would stop CI too).
TIMEOUT = 600
#: Print the end of each failing run (--verbose).
VERBOSE = False


@dataclass(frozen=True)
class Mutation:
    area: str
    file: str  # relative to src/clientocracy
    old: str
    new: str
    description: str
    tests: tuple[str, ...]  # test files (or node ids), relative to the repository
    #: Why no user could tell this mutant from the code, if none could: it is
    #: then expected to survive, and is reported apart.
    equivalent: str = ""


# The tests each area is expected to be caught by.
# The hostile-input tests, one file per layer; an area runs them all, as it
# ran them when they were one file.
_SECURITY = (
    "tests/io/test_folder_security.py",
    "tests/catalog/test_catalog_security.py",
    "tests/corpus/test_lookup_security.py",
    "tests/search/test_search_security.py",
    "tests/export/test_output_security.py",
    "tests/cli/test_security.py",
)
_LOADING = ("tests/catalog/test_loading.py", "tests/catalog/test_corpora.py", *_SECURITY)
_PRECHECKED = ("tests/catalog/test_prechecked.py",)
_JSON = ("tests/io/test_limits.py", "tests/catalog/test_loading.py", *_SECURITY)
_FILES = ("tests/io/test_files.py", "tests/io/test_limits.py", *_SECURITY)
_TERMINAL = ("tests/cli/test_neutralizer.py", "tests/cli/test_cli.py", *_SECURITY)
_SEARCH = (
    "tests/search/test_stemmer.py",
    "tests/io/test_limits.py",
    "tests/search/test_indexer.py",
    "tests/search/test_search.py",
)
_COMPILED = ("tests/stores/test_compiled_files.py", "tests/stores/test_compiled.py")
_EXPORT = ("tests/export/test_exports.py", "tests/export/test_arrow.py", "tests/cli/test_cli.py")
_LICENCES = ("tests/catalog/test_licences.py",)
_CLI = ("tests/cli/test_cli_exits.py", "tests/cli/test_cli.py", "tests/cli/test_cli_terminal.py")


def _m(
    area: str,
    file: str,
    old: str,
    new: str,
    description: str,
    tests: tuple[str, ...],
    equivalent: str = "",
) -> Mutation:
    return Mutation(area, file, old, new, description, tests, equivalent)


MUTATIONS: tuple[Mutation, ...] = (
    # -- licences ----------------------------------------------------------------
    _m(
        "licences",
        "_spdx.py",
        "        if word.upper() in _OPERATORS and word not in _OPERATORS:",
        "        if False:",
        "an operator in lower case is taken for a licence name",
        _LICENCES,
    ),
    _m(
        "licences",
        "_spdx.py",
        "    if depth:",
        "    if depth > 1:",
        "an expression with one '(' left open is accepted",
        _LICENCES,
    ),
    _m(
        "licences",
        "_stores/row_checks.py",
        "    problem = expression_problem(found)",
        "    problem = None",
        "a compiled file's licence is read without checking it",
        _LICENCES,
    ),
    _m(
        "licences",
        "_catalog/saving.py",
        "    if source.license is not None:",
        "    if source.license is None:",
        "a saved corpus loses its sources' licences",
        _LICENCES,
    ),
    _m(
        "licences",
        "_export/records.py",
        '        story.source.license or "",',
        '        "",',
        "the CSV export leaves the licence column empty",
        _LICENCES,
    ),
    # -- loader and catalog checks ------------------------------------------------
    _m(
        "loader",
        "_catalog/build.py",
        "        if start < covered:",
        "        if start < covered - 1:",
        "segments that overlap by one character are accepted",
        _LOADING,
    ),
    _m(
        "loader",
        "_catalog/build.py",
        "    if ok and text[covered : span.end].strip():",
        "    if ok and text[covered : span.end - 1].strip():",
        "the last character of a passage may be left untranslated",
        _LOADING,
    ),
    _m(
        "loader",
        "_catalog/build.py",
        "        elif text[covered:start].strip():",
        "        elif text[covered + 1 : start].strip():",
        "the first character of a gap between segments may be left untranslated",
        _LOADING,
    ),
    _m(
        "loader",
        "_catalog/build.py",
        'definitions: tuple[tuple[str, str], ...] | None = (("en", item["definition"]),)',
        'definitions: tuple[tuple[str, str], ...] | None = (("en", item["names"]["en"]),)',
        "a version-1 principle's definition is read from its name",
        _LOADING,
    ),
    _m(
        "loader",
        "_catalog/build.py",
        "        if language.id == source.language.id:",
        "        if language.id == source.language.id and False:",
        "a translation into the story's own language is accepted",
        _LOADING,
    ),
    _m(
        "loader",
        "_catalog/build.py",
        "    if digest != declared:",
        "    if digest != declared and False:",
        "a text whose SHA-256 differs from the catalog's is accepted",
        _LOADING,
    ),
    _m(
        "loader",
        "_catalog/build.py",
        '    return ((own, title),) if own == "en" else ((own, title), ("en", title_en))',
        "    return ((own, title),)",
        "a version-1 English title of a non-English text is dropped",
        _LOADING,
    ),
    _m(
        "loader",
        "_catalog/checks.py",
        "    if not 0 <= start < end <= len(text):",
        "    if not 0 <= start <= end <= len(text):",
        "an empty span is accepted",
        _LOADING,
    ),
    _m(
        "loader",
        "_catalog/checks.py",
        "    if ends is not None and not passage.endswith(ends):",
        "    if False:",
        "a span's 'ends' is not checked",
        _LOADING,
    ),
    _m(
        "loader",
        "_catalog/checks.py",
        '    if data.startswith(b"\\xef\\xbb\\xbf"):\n        data = data[3:]\n    try:',
        "    try:",
        "a text file saved with a byte-order mark is refused",
        _LOADING,
    ),
    _m(
        "loader",
        "_catalog/loading.py",
        "    if type(version) is not int or version not in SUPPORTED_VERSIONS:",
        "    if version not in SUPPORTED_VERSIONS:",
        "a version of true (== 1) is read as version 1",
        _LOADING,
    ),
    _m(
        "loader",
        "_catalog/loading.py",
        "        if checked_fingerprint(read_file) == fingerprint:",
        "        if checked_fingerprint(read_file) is not None:",
        "a bundled catalog changed since it was checked is built without the checks",
        _PRECHECKED,
    ),
    _m(
        "loader",
        "_catalog/prechecked.py",
        '                paragraph=bool(segments) and "\\n" in text[covered:start],',
        "                paragraph=bool(segments),",
        "the unchecked build starts a paragraph at every segment",
        _PRECHECKED,
    ),
    # -- strict JSON -------------------------------------------------------------------
    _m(
        "json",
        "_io/strict_json.py",
        '    if data.startswith(b"\\xef\\xbb\\xbf"):\n        data = data[3:]\n    # Counted',
        "    # Counted",
        "a catalog saved with a UTF-8 byte-order mark (Windows Notepad) is refused",
        _JSON,
    ),
    _m(
        "json",
        "_io/strict_json.py",
        "        if len(data) != len(pairs):\n            marked",
        "        if False:\n            marked",
        "a key repeated in one object is accepted (the last wins)",
        _JSON,
    ),
    _m(
        "json",
        "_io/strict_json.py",
        "        if len(data) != len(pairs):\n            return self.object(pairs)",
        "        if False:\n            return self.object(pairs)",
        "a key repeated in a catalog of short strings is accepted (the last wins)",
        _JSON,
    ),
    _m(
        "json",
        "_io/strict_json.py",
        "                if len(value) > MAX_STRING_CHARS:\n"
        "                    self.suspect = True",
        "                if len(value) > MAX_STRING_CHARS + 1:\n"
        "                    self.suspect = True",
        "a string one character over the limit is accepted",
        _JSON,
    ),
    _m(
        "json",
        "_io/strict_json.py",
        "            if len(item) > MAX_STRING_CHARS:\n",
        "            if len(item) >= MAX_STRING_CHARS:\n",
        "a string of exactly the limit is refused",
        _JSON,
    ),
    _m(
        "json",
        "_io/strict_json.py",
        "    if containers > allowed:",
        "    if containers > allowed * 2:",
        "twice the allowed objects and lists are parsed",
        _JSON,
    ),
    _m(
        "json",
        "_io/strict_json.py",
        "        if records > MAX_RECORDS:",
        "        if records > MAX_RECORDS + 1:",
        "one record over the limit is accepted",
        _JSON,
    ),
    _m(
        "json",
        "_io/strict_json.py",
        "        self.suspect = True\n        return _NotANumber(name)",
        "        return float(name)  # type: ignore[return-value]",
        "NaN and Infinity are accepted",
        _JSON,
    ),
    # -- files -------------------------------------------------------------------------
    _m(
        "files",
        "_io/files.py",
        "            if target.startswith(root.rstrip(os.sep) + os.sep):",
        "            if target.startswith(root.rstrip(os.sep)):",
        "an absolute link to /x/corpus-evil counts as inside /x/corpus",
        _FILES,
    ),
    _m(
        "files",
        "_io/files.py",
        "    if info.st_size > limit:",
        "    if info.st_size >= limit:",
        "a file of exactly the size limit is refused",
        _FILES,
    ),
    _m(
        "files",
        "_io/files.py",
        "    if info.st_size > limit:",
        "    if info.st_size > limit + 1:",
        "a file one byte over the size limit is read",
        _FILES,
    ),
    _m(
        "files",
        "_io/files.py",
        "    if left is not None and info.st_size > left:",
        "    if left is not None and info.st_size > left + 1:",
        "a file one byte over what is left of the corpus's total is read",
        _FILES,
        "the read that follows stops one byte past what is left and refuses the file "
        "with the same message: only the bytes read before the refusal differ",
    ),
    _m(
        "files",
        "_io/files.py",
        "        self.total += len(data)",
        "        self.total += 0",
        "the corpus's total is never counted",
        _FILES,
    ),
    _m(
        "files",
        "_io/files.py",
        '    if ".." in parts:',
        '    if ".." in parts[:1]:',
        "'..' after the first component of a name is followed",
        _FILES,
    ),
    _m(
        "files",
        "_io/files.py",
        "                    if links > _MAX_LINKS:",
        "                    if links > _MAX_LINKS * 1000:",
        "a loop of links is followed (almost) forever",
        _FILES,
    ),
    _m(
        "files",
        "_io/files.py",
        "                    if len(folders) == 1:\n                        raise _outside(shown)",
        "                    if len(folders) == 0:\n                        raise _outside(shown)",
        "a relative link may climb above the corpus folder",
        _FILES,
    ),
    # -- terminal output -------------------------------------------------------------
    _m(
        "terminal",
        "_cli/output.py",
        '\\u200e\\u200f\\u061c"',
        '\\u200e\\u200f"',
        "U+061C ARABIC LETTER MARK reaches the terminal",
        _TERMINAL,
    ),
    _m(
        "terminal",
        "_cli/output.py",
        "            return neutralize(part.text).replace(MARK_ON, on)",
        "            return part.text.replace(MARK_ON, on)",
        "search snippets are printed without the neutralizer",
        _TERMINAL,
    ),
    _m(
        "terminal",
        "_cli/reading.py",
        "    snippet = attrs.evolve(hit.snippet, text=unmark(hit.snippet.text))",
        "    snippet = hit.snippet",
        "highlight marks in the data pose as highlights in search results",
        _TERMINAL,
    ),
    _m(
        "terminal",
        "_cli/output.py",
        "\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f",
        "\\x00-\\x08\\x0b-\\x1f\\x7f",
        "C1 controls (U+0080-U+009F, CSI among them) reach the terminal",
        _TERMINAL,
    ),
    _m(
        "terminal",
        "_cli/output.py",
        "\\u202d\\u202e\\u2066",
        "\\u202d\\u2066",
        "U+202E RIGHT-TO-LEFT OVERRIDE reaches the terminal",
        _TERMINAL,
    ),
    _m(
        "terminal",
        "_cli/output.py",
        "\\u2068\\u2069\\u200e",
        "\\u2068\\u200e",
        "U+2069 POP DIRECTIONAL ISOLATE reaches the terminal",
        _TERMINAL,
    ),
    _m(
        "terminal",
        "_cli/output.py",
        "        text = re.sub(_SURROGATES, _escape, text)",
        "        pass",
        "lone surrogates reach the terminal",
        _TERMINAL,
    ),
    _m(
        "terminal",
        "_cli/output.py",
        "[\\x00-\\x08\\x0b-\\x1f",
        "[\\x00-\\x09\\x0b-\\x1f",
        "tabs are escaped",
        _TERMINAL,
    ),
    _m(
        "terminal",
        "_cli/output.py",
        "        self._write(neutralize(text) if self.terminal else text)",
        "        self._write(text)",
        "a document (export) on a terminal is not neutralized",
        _TERMINAL,
    ),
    _m(
        "terminal",
        "_cli/output.py",
        '    return " ".join(neutralize(text).split())',
        '    return " ".join(text.split())',
        "table cells are not neutralized",
        _TERMINAL,
    ),
    # -- search ------------------------------------------------------------------------
    _m(
        "search",
        "_search/analysis.py",
        '        if stem.endswith("ی") and stem[-2] in "او":',
        '        if stem.endswith("ی") and stem[-2] in "ا":',
        "«دانشجویان» no longer stems to «دانشجو»",
        _SEARCH,
    ),
    _m(
        "search",
        "_search/analysis.py",
        '    if word.endswith("ات") and len(word) >= 6:',
        '    if word.endswith("ات") and len(word) >= 4:',
        "«حیات» and «ثبات» lose their last two letters",
        _SEARCH,
    ),
    _m(
        "search",
        "_search/analysis.py",
        "        if word.endswith(suffix) and len(word) - len(suffix) >= 3:",
        "        if word.endswith(suffix) and len(word) - len(suffix) >= 2:",
        "«تنها» is read as a plural",
        _SEARCH,
    ),
    _m(
        "search",
        "_search/analysis.py",
        '    if word.endswith("ان") and len(word) >= 6:',
        '    if word.endswith("ان") and len(word) >= 4:',
        "«مهمان» is read as a plural",
        _SEARCH,
    ),
    _m(
        "search",
        "_search/analysis.py",
        '    if word in _PERSIAN_CLITICS:\n        return ""',
        '    if False:\n        return ""',
        "a Persian suffix written apart is a search term",
        _SEARCH,
    ),
    _m(
        "search",
        "_search/analysis.py",
        "            return self._russian(word) or word",
        "            return word",
        "Russian words are not stemmed",
        _SEARCH,
    ),
    _m(
        "search",
        "_search/analysis.py",
        "            if self._counted > MAX_QUERY_TERMS:",
        "            if self._counted >= MAX_QUERY_TERMS:",
        "a query of exactly 64 terms is refused",
        _SEARCH,
    ),
    _m(
        "search",
        "_search/analysis.py",
        "            if self._counted > MAX_QUERY_TERMS:",
        "            if self._counted > MAX_QUERY_TERMS + 1:",
        "a query of 65 terms is accepted",
        _SEARCH,
    ),
    _m(
        "search",
        "_search/analysis.py",
        "    if any(len(word) > MAX_WORD_CHARS for word in words):",
        "    if any(len(word) > MAX_WORD_CHARS + 1 for word in words):",
        "a word of 65 characters is not cut",
        _SEARCH,
    ),
    _m(
        "search",
        "_search/analysis.py",
        """    words: list[str] = _WORD.findall(normalize(text).replace("'", ""))""",
        """    words: list[str] = _WORD.findall(normalize(text))""",
        "apostrophes split a word in two",
        _SEARCH,
    ),
    _m(
        "search",
        "_search/index.py",
        "        extra = [tag for tag in (*titles, *summaries)"
        " if tag != own and tag not in translated]",
        "        extra: list[str] = []",
        "version-1 English titles of non-English stories are not indexed",
        _SEARCH,
    ),
    _m(
        "search",
        "_search/index.py",
        "                        done.put(analysed, timeout=0.1)\n                        break",
        "                        done.put(analysed, timeout=0.1)\n                        continue",
        "parallel indexing (5,000 stories and more) queues each chunk forever",
        _SEARCH,
    ),
    _m(
        "search",
        "_search/index.py",
        "            for chunk in _chunks(rows, 1000):\n                analysed",
        "            for chunk in list(_chunks(rows, 1000))[:-1]:\n                analysed",
        "parallel indexing drops the last chunk of stories",
        _SEARCH,
    ),
    _m(
        "search",
        "_search/index.py",
        "        except BaseException as error:\n            done.put(error)",
        "        except BaseException:\n            done.put(None)",
        "an error while indexing in parallel gives a partial index",
        _SEARCH,
    ),
    _m(
        "search",
        "_search/index.py",
        "                    if limit is not None and len(best) == limit:",
        "                    if limit is not None and len(best) == limit + 1:",
        "search returns one hit more than the limit",
        _SEARCH,
    ),
    # -- compiled corpora --------------------------------------------------------------
    _m(
        "compiled",
        "_stores/sqlite.py",
        '    if int.from_bytes(header[56:60], "big") != 2:',
        '    if int.from_bytes(header[56:60], "big") not in (1, 2, 3):',
        "a file in another text encoding opens (its texts decode as garbage)",
        _COMPILED,
    ),
    _m(
        "compiled",
        "_stores/sqlite.py",
        "    if header[24:28] == header[92:96] and size < pages * page_size:",
        "    if header[24:28] == header[92:96] and size < (pages - 1) * page_size:",
        "a file missing its last page is not reported as cut short",
        _COMPILED,
    ),
    _m(
        "compiled",
        "_io/sqlite_guard.py",
        "        if not extra and not missing and len(found) == len(expected):",
        "        if not extra:",
        "a file with a table missing opens",
        _COMPILED,
    ),
    _m(
        "compiled",
        "_stores/compiled.py",
        '    if os.fspath(path).lower().endswith((".sqlite", ".sqlite3", ".db")):',
        '    if os.fspath(path).lower().endswith((".sqlite", ".sqlite3")):',
        "a damaged *.db is reported as a catalog that is not JSON",
        _COMPILED,
    ),
    _m(
        "compiled",
        "_stores/sqlite.py",
        '    if int.from_bytes(header[68:72], "big") != APPLICATION_ID:',
        '    if int.from_bytes(header[68:72], "big") == 0:',
        "a SQLite file of another application is opened",
        _COMPILED,
    ),
    _m(
        "compiled",
        "_stores/sqlite.py",
        "    if version != FORMAT_VERSION:",
        "    if version > FORMAT_VERSION + 1:",
        "a file of the next format version is opened",
        _COMPILED,
    ),
    # -- exports -----------------------------------------------------------------------
    _m(
        "exports",
        "_export/records.py",
        "    texts[story.language.id] = story.text",
        "    pass",
        "the CSV column text_<own language> is left empty",
        _EXPORT,
    ),
    _m(
        "exports",
        "_export/hub.py",
        '    codes = list(dict.fromkeys(tag.split("-")[0].lower() for tag in tags))',
        "    codes = list(dict.fromkeys(tags))",
        "the Hub card's `language` is given region tags (pt-BR), which the Hub refuses",
        _EXPORT,
    ),
    _m(
        "exports",
        "_export/records.py",
        '            yield "".join(dumps(item) + "\\n" for item in chunk)',
        '            yield "\\n".join(dumps(item) for item in chunk)',
        "JSON lines without a newline after the last",
        _EXPORT,
    ),
    # -- command line ------------------------------------------------------------------
    _m(
        "cli",
        "_cli/files.py",
        "        return fail(err, str(error))\n"
        "    return EXIT_OK if stories else no_match(err, args)",
        "        return fail(err, str(error))\n    return EXIT_OK",
        "`export` with no match exits 0 silently",
        _CLI,
    ),
    _m(
        "cli",
        "_cli/app.py",
        '            or (args.command in ("export", "handout") and args.output is None)',
        '            or args.command in ("export", "handout")',
        "`export -o FILE` on a terminal starts a pager",
        _CLI,
    ),
    _m(
        "cli",
        "_cli/app.py",
        '        if args.command != "build" and len(paths) == 1 and compiled:',
        '        if args.command != "build" and compiled:',
        "with several --corpus, only the first compiled one is read",
        _CLI,
    ),
    _m(
        "cli",
        "_cli/files.py",
        "        out.line(problems_of(error))\n        return EXIT_NO_MATCH",
        "        out.line(problems_of(error))\n        return EXIT_OK",
        "`validate` of a broken corpus exits 0",
        _CLI,
    ),
    _m(
        "cli",
        "_cli/common.py",
        "EXIT_USAGE = 2",
        "EXIT_USAGE = 1",
        "a usage error exits 1, like no match",
        _CLI,
    ),
)


def _copy_tree(target: Path) -> None:
    ignore = shutil.ignore_patterns(
        ".git",
        ".venv",
        "site",
        "__pycache__",
        ".pytest_cache",
        ".mypy_cache",
        ".ruff_cache",
        ".hypothesis",
        "*.egg-info",
        "dist",
        "build",
    )
    for entry in ROOT.iterdir():
        if entry.name in {".git", ".venv", "site", "dist", "build", ".hypothesis"}:
            continue
        if entry.is_dir():
            shutil.copytree(entry, target / entry.name, ignore=ignore, symlinks=True)
        else:
            shutil.copy2(entry, target / entry.name)


def _default_signals() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _pytest(tree: Path, tests: list[str], timeout: float) -> tuple[str, float]:
    """Run *tests* in *tree*; 'passed', 'failed' or 'timeout', and the seconds taken."""
    env = {**os.environ, "PYTHONPATH": str(tree / "src"), "PYTHONDONTWRITEBYTECODE": "1"}
    command = [
        sys.executable, "-m", "pytest", "-x", "-q", "--no-header", "-p", "no:cacheprovider",
        "-o", "console_output_style=classic", *tests,
    ]  # fmt: skip
    start = time.monotonic()
    try:
        done = subprocess.run(
            command,
            cwd=tree,
            env=env,
            capture_output=True,
            timeout=timeout,
            check=False,
            # Started in the background, this script ignores SIGINT; the
            # tests that interrupt a command need it back.
            preexec_fn=_default_signals,
        )
    except subprocess.TimeoutExpired:
        return "timeout", time.monotonic() - start
    outcome = "passed" if done.returncode == 0 else "failed"
    if done.returncode not in (0, 1):  # an error collecting or running: a broken run
        outcome = f"error {done.returncode}"
    if VERBOSE and done.returncode != 0:
        print(done.stdout.decode(errors="replace")[-3000:], file=sys.stderr)
    return outcome, time.monotonic() - start


def _select(tree: Path, mutation: Mutation) -> list[str]:
    """The mutation's tests that exist in *tree*, and the mutated module (its doctests)."""
    present = [t for t in mutation.tests if (tree / t.split("::")[0]).exists()]
    return [*present, f"{PACKAGE}/{mutation.file}"]


def run(mutations: list[Mutation], timeout: float) -> list[dict[str, object]]:
    results: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory(prefix="clientocracy-mutants-") as temporary:
        tree = Path(temporary)
        _copy_tree(tree)
        # The package under test must be the copy, not the installed one.
        probe = subprocess.run(
            [sys.executable, "-c", "import clientocracy; print(clientocracy.__file__)"],
            env={**os.environ, "PYTHONPATH": str(tree / "src")},
            capture_output=True,
            text=True,
            check=True,
        )
        if not probe.stdout.strip().startswith(str(tree)):
            sys.exit(f"clientocracy is imported from {probe.stdout.strip()}, not from the copy")
        baseline: dict[tuple[str, ...], str] = {}
        for number, mutation in enumerate(mutations, 1):
            path = tree / PACKAGE / mutation.file
            original = path.read_text(encoding="utf-8")
            found = original.count(mutation.old)
            tests = _select(tree, mutation)
            if found != 1:
                status, seconds = ("stale" if found == 0 else "ambiguous"), 0.0
            else:
                key = tuple(tests)
                if key not in baseline:  # the tests must pass before anything is planted
                    baseline[key], _ = _pytest(tree, tests, timeout)
                if baseline[key] != "passed":
                    status, seconds = f"not run: the tests fail unmutated ({baseline[key]})", 0.0
                else:
                    path.write_text(original.replace(mutation.old, mutation.new), encoding="utf-8")
                    try:
                        outcome, seconds = _pytest(tree, tests, timeout)
                    finally:
                        path.write_text(original, encoding="utf-8")
                    status = {"passed": "survived", "failed": "killed", "timeout": "killed"}.get(
                        outcome, outcome
                    )
                    if status == "survived" and mutation.equivalent:
                        status = "equivalent"
                    if outcome == "timeout":
                        status = "killed (hung)"
            results.append(
                {
                    "area": mutation.area,
                    "file": mutation.file,
                    "description": mutation.description,
                    "status": status,
                    "seconds": round(seconds, 1),
                }
            )
            print(
                f"[{number}/{len(mutations)}] {mutation.area}: {mutation.description}: "
                f"{status} ({seconds:.0f} s)",
                flush=True,
            )
    return results


def summary(results: list[dict[str, object]]) -> str:
    areas: dict[str, list[str]] = {}
    for result in results:
        areas.setdefault(str(result["area"]), []).append(str(result["status"]))
    lines = [
        "| area | mutants | killed | survived | equivalent | not run |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for area, statuses in areas.items():
        killed = sum(s.startswith("killed") for s in statuses)
        survived = statuses.count("survived")
        equivalent = statuses.count("equivalent")
        lines.append(
            f"| {area} | {len(statuses)} | {killed} | {survived} | {equivalent} | "
            f"{len(statuses) - killed - survived - equivalent} |"
        )
    survivors = [r for r in results if r["status"] == "survived"]
    if survivors:
        lines += ["", "Survived:"]
        lines += [f"- {r['area']} ({r['file']}): {r['description']}" for r in survivors]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("areas", nargs="*", help="the areas to mutate (default: all)")
    parser.add_argument("--list", action="store_true", help="list the planned mutations")
    parser.add_argument("--json", metavar="FILE", help="write the results as JSON to FILE")
    parser.add_argument(
        "--timeout", type=float, default=TIMEOUT, help="seconds before a run counts as hung"
    )
    parser.add_argument(
        "--verbose", action="store_true", help="print the end of every failing test run"
    )
    parser.add_argument(
        "--match", metavar="TEXT", help="only the mutations whose description contains TEXT"
    )
    parser.add_argument(
        "--tests",
        nargs="+",
        metavar="TEST",
        help="run these tests for every mutation instead of each area's own",
    )
    args = parser.parse_args()
    global VERBOSE
    VERBOSE = args.verbose
    known = {m.area.lower() for m in MUTATIONS}
    wanted = {area.lower() for area in args.areas}
    if wanted - known:
        parser.error(
            f"unknown area(s) {', '.join(sorted(wanted - known))}; "
            f"known: {', '.join(sorted(known))}"
        )
    chosen = [m for m in MUTATIONS if not wanted or m.area.lower() in wanted]
    if args.match:
        chosen = [m for m in chosen if args.match.lower() in m.description.lower()]
    if args.tests:
        chosen = [dataclasses.replace(m, tests=tuple(args.tests)) for m in chosen]
    if args.list:
        for mutation in chosen:
            print(f"{mutation.area:12} {mutation.file:22} {mutation.description}")
        return 0
    results = run(chosen, args.timeout)
    print()
    print(summary(results))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    return 1 if any(r["status"] == "survived" for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
