"""A compiled file is input: one from anyone loads as a valid corpus or is refused, in bounds.

Each test builds a file as an attacker would (editing a real compiled file
with sqlite3, or flipping its bytes) and runs what a user runs, in a second
process where a hang or a blow-up is possible.
"""

from __future__ import annotations

import inspect
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
import warnings
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import clientocracy
from clientocracy import Corpus, CorpusError

from ..helpers import user_corpus

POSIX = pytest.mark.skipif(os.name != "posix", reason="POSIX pipes and signals")
# Generous: a process that is refused or loads takes well under a second; one
# that hangs never ends.
HANG = 120
# The address space a process that opens a hostile file may use.
MEMORY = 1536 * 1024 * 1024


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("good") / "good.sqlite"
    clientocracy.compile(Corpus.bundled(), path)
    return path


def tampered(good: Path, target: Path, sql: str, *parameters: Any) -> Path:
    """A copy of *good* changed by *sql*, as anyone with sqlite3 can change it."""
    shutil.copyfile(good, target)
    db = sqlite3.connect(target)
    db.execute("PRAGMA ignore_check_constraints = ON")
    try:
        if parameters:
            db.execute(sql, parameters)
        else:
            db.executescript(sql)
        db.commit()
    finally:
        db.close()
    return target


def cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run the command line in a process of its own, bounded in time and memory."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "COLUMNS": "80"}
    code = (
        "import resource, sys\n"
        f"resource.setrlimit(resource.RLIMIT_AS, ({MEMORY}, {MEMORY}))\n"
        "from clientocracy._cli.app import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=HANG,
        env=env,
        input=stdin,
        check=False,
    )


def python(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        capture_output=True,
        text=True,
        timeout=HANG,
        check=False,
    )


def assert_refused(result: subprocess.CompletedProcess[str], *expected: str) -> None:
    output = result.stdout + result.stderr
    assert result.returncode in (1, 2), output
    assert "Traceback" not in output, output
    assert "internal error" not in output, output
    for text in expected:
        assert text in output, output


def refused(path: Path) -> str:
    """The message of the CorpusError that reading all of *path* gives."""
    from clientocracy._stores.sqlite import verify

    with pytest.raises(CorpusError) as error:
        verify(path).close()
    return str(error.value)


# -- 1. the file's schema does not run ----------------------------------------------


RECURSIVE_VIEW = """
ALTER TABLE corpus_info RENAME TO old_info;
CREATE VIEW corpus_info(key, value) AS
    WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r)
    SELECT 'k' || n, 'v' FROM r;
"""
GENERATED_COLUMN = """
CREATE TABLE info2 (
    key TEXT PRIMARY KEY, raw TEXT,
    value TEXT GENERATED ALWAYS AS (printf('%.*c', 400000000, 'x'))
);
INSERT INTO info2 (key, raw) SELECT key, value FROM corpus_info;
DROP TABLE corpus_info;
ALTER TABLE info2 RENAME TO corpus_info;
"""
SCHEMA_OBJECTS = {
    "recursive view": RECURSIVE_VIEW,
    "generated column": GENERATED_COLUMN,
    "trigger": "CREATE TRIGGER t AFTER INSERT ON stories BEGIN SELECT 1; END;",
    "view": "CREATE VIEW v AS SELECT * FROM stories;",
    "index": "CREATE INDEX extra ON stories (title);",
    "virtual table": "CREATE VIRTUAL TABLE other USING fts5(x);",
    "changed table": (
        "ALTER TABLE companies RENAME TO c2; "
        "CREATE TABLE companies AS SELECT * FROM c2; DROP TABLE c2;"
    ),
    "fts over a view": (
        "DROP TABLE search_index; CREATE VIEW endless(x) AS WITH RECURSIVE r(n) AS "
        "(SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT n FROM r; "
        "CREATE VIRTUAL TABLE search_index USING fts5(x, content='endless');"
    ),
}


@pytest.mark.parametrize("name", sorted(SCHEMA_OBJECTS))
def test_a_schema_other_than_compiles_is_refused_before_it_runs(
    good: Path, tmp_path: Path, name: str
) -> None:
    path = tampered(good, tmp_path / "hostile.sqlite", SCHEMA_OBJECTS[name])
    for command in (["validate", str(path)], ["--corpus", str(path), "list"]):
        assert_refused(cli(*command), "not a compiled corpus as this release writes it")
    with pytest.raises(CorpusError, match="schema is exactly the one"):
        clientocracy.load(path)


OBJECT_TEMPLATES = [
    "CREATE VIEW {name} AS SELECT {expr} AS x",
    "CREATE TRIGGER {name} BEFORE DELETE ON {table} BEGIN SELECT {expr}; END",
    "CREATE INDEX {name} ON {table} (({expr}))",
    "CREATE TABLE {name} (x, y AS ({expr}))",
    "CREATE TABLE {name} AS SELECT {expr} AS x",
    "CREATE VIRTUAL TABLE {name} USING fts5(x, content='{table}')",
]


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    template=st.sampled_from(OBJECT_TEMPLATES),
    name=st.from_regex(r"[a-z_][a-z0-9_]{0,12}", fullmatch=True),
    table=st.sampled_from(["stories", "sources", "corpus_info", "facet_index"]),
    expr=st.sampled_from(["1", "randomblob(1000)", "printf('%.*c', 1000, 'x')", "'a' || 'b'"]),
    replace=st.booleans(),
)
def test_fuzz_schema_objects_are_refused(
    good: Path, tmp_path: Path, template: str, name: str, table: str, expr: str, replace: bool
) -> None:
    sql = template.format(name=name, table=table, expr=expr)
    if replace:  # take the place of one of the file's own tables
        sql = f"DROP TABLE IF EXISTS {table}; " + sql.replace(f" {name} ", f" {table} ", 1)
    try:
        path = tampered(good, tmp_path / "schema.sqlite", sql)
    except sqlite3.Error:
        return  # SQLite itself refused the object
    with pytest.raises(CorpusError, match="not a compiled corpus as this release writes it"):
        clientocracy.load(path)


def test_the_connection_is_opened_with_sqlites_guards(good: Path) -> None:
    from clientocracy._io.sqlite_guard import MAX_VALUE_BYTES

    corpus = clientocracy.load(good)
    db = corpus._store._db  # type: ignore[attr-defined]
    assert db.execute("PRAGMA trusted_schema").fetchone() == (0,)
    assert db.execute("PRAGMA cell_size_check").fetchone() == (1,)
    assert db.execute("PRAGMA query_only").fetchone() == (1,)
    assert db.getlimit(sqlite3.SQLITE_LIMIT_LENGTH) == MAX_VALUE_BYTES
    assert db.getlimit(sqlite3.SQLITE_LIMIT_ATTACHED) == 0
    with pytest.raises(sqlite3.Error):
        db.execute("DELETE FROM stories")
    with pytest.raises(sqlite3.Error, match="too big"):
        db.execute("SELECT zeroblob(?)", (MAX_VALUE_BYTES + 1,)).fetchall()
    corpus.close()


ENDLESS = "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT max(n) FROM r"


def test_a_statement_that_runs_too_long_is_stopped(good: Path) -> None:
    result = python(
        f"""
        import sys
        from clientocracy._io import sqlite_guard as guard
        guard.MAX_STATEMENT_STEPS = 10_000_000
        file = guard.GuardedFile(sys.argv[1], "hostile.sqlite")
        db = file.connect()
        try:
            with file.guarded():
                db.execute({ENDLESS!r}).fetchall()
        except Exception as error:
            print(type(error).__name__, error)
        """,
        str(good),
    )
    assert result.stdout.startswith("CorpusError"), result.stdout + result.stderr
    assert "steps and was stopped" in result.stdout


@POSIX
def test_ctrl_c_stops_any_query(good: Path) -> None:
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import sys
                from clientocracy._io import sqlite_guard as guard
                guard.MAX_STATEMENT_STEPS = 10**18
                file = guard.GuardedFile(sys.argv[1], "f")
                db = file.connect()
                print("ready", flush=True)
                try:
                    with file.guarded():
                        db.execute({ENDLESS!r}).fetchall()
                except KeyboardInterrupt:
                    print("interrupted", flush=True)
                """
            ),
            str(good),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline() == "ready\n"
        time.sleep(0.3)
        process.send_signal(signal.SIGINT)
        out, _ = process.communicate(timeout=HANG)
    finally:
        process.kill()
    assert out == "interrupted\n"


# -- 2. rows are checked before they become records -------------------------------

ROWS = {
    "sha256 that is a path": (
        "UPDATE sources SET sha256 = '/../../../evil/' || substr(sha256, 15)",
        "sha256",
    ),
    "a blob for a title": ("UPDATE stories SET titles = X'00ff'", "titles"),
    "titles that are a list": ("UPDATE stories SET titles = '[1, 2]'", "titles"),
    "titles nested deeply": (
        "UPDATE stories SET titles = '{\"en\": ' || printf('%.*c', 100000, '[') || '}'",
        "titles",
    ),
    "a missing source": ("UPDATE stories SET source = 'nowhere'", "no source 'nowhere'"),
    "a missing company": ("UPDATE stories SET company = 'nobody'", "no company 'nobody'"),
    "a missing principle": ("UPDATE story_principles SET principle = 'x'", "no principle 'x'"),
    "a span to 2**63-1": ("UPDATE stories SET span_end = 9223372036854775807", "span"),
    "a negative span": ("UPDATE stories SET span_start = -5", "span"),
    "a span as text": ("UPDATE stories SET span_start = 'abc'", "expected an integer"),
    "an empty id": ("UPDATE stories SET id = ' ' WHERE position = 3", "id"),
    "a bad direction": ("UPDATE languages SET direction = 'up'", "direction"),
    "a real chars": ("UPDATE sources SET chars = 1.5", "chars"),
    "a text shorter than chars": ("UPDATE sources SET chars = chars + 1", "characters"),
    "a bad channel": ("UPDATE stories SET channel = 'pigeon'", "channel"),
    "a gap in the stories": ("DELETE FROM stories WHERE position = 4", "the row is missing"),
    "a count that lies": (
        "UPDATE corpus_info SET value = '99999' WHERE key = 'stories'",
        "99999 stories",
    ),
    "a facet bitmap that lies": ("UPDATE facet_index SET stories = stories + 1", "facet_index"),
    "a facet that is a list of the wrong size": (
        "UPDATE facet_index SET positions = X'01', bitmap = NULL",
        "positions",
    ),
    "a translation's language unknown": (
        "UPDATE translations SET language = 'xx'",
        "no language 'xx'",
    ),
    "a segment outside the source": (
        'UPDATE segments SET "end" = 99999999',
        "span",
    ),
    "a segment's paragraph of 2": ("UPDATE segments SET paragraph = 2", "paragraph"),
    "a blank segment": ("UPDATE segments SET text = '   '", "column text: must not be empty"),
    "a segment's original as bytes": (
        "UPDATE segments SET original = X'41'",
        "column original: expected text",
    ),
    "a segment that ends before it starts": (
        'UPDATE segments SET start = "end" + 1',
        "is not a span of the text",
    ),
    "a translator of NULL made by bytes": (
        "UPDATE translations SET translator = X''",
        "translator",
    ),
}


@pytest.mark.parametrize("name", sorted(ROWS))
def test_a_bad_row_is_a_corpus_error_naming_file_and_row(
    good: Path, tmp_path: Path, name: str
) -> None:
    sql, expected = ROWS[name]
    path = tampered(good, tmp_path / "bad.sqlite", sql)
    message = refused(path)
    assert str(path) in message
    assert expected in message
    assert "table " in message
    result = cli("validate", str(path))
    assert_refused(result, expected)
    assert result.returncode == 1


def test_a_path_in_sha256_cannot_steer_where_save_writes(good: Path, tmp_path: Path) -> None:
    path = tampered(
        good,
        tmp_path / "bad.sqlite",
        "UPDATE sources SET sha256 = '/../../../evil/' || substr(sha256, 15)",
    )
    out = tmp_path / "deep" / "er" / "out"
    corpus = clientocracy.load(path)
    with pytest.raises(CorpusError, match="sha256"):
        corpus.save(out)
    assert not (tmp_path / "evil").exists()
    assert not out.exists()


def test_build_from_a_compiled_file_checks_what_it_copies(good: Path, tmp_path: Path) -> None:
    path = tampered(
        good, tmp_path / "bad.sqlite", "UPDATE stories SET span_end = 9223372036854775807"
    )
    result = cli("--corpus", str(path), "build", str(path), "-o", str(tmp_path / "new.sqlite"))
    assert_refused(result, "span")
    assert not (tmp_path / "new.sqlite").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["bad.sqlite"]


def test_too_many_translations_are_refused(good: Path, tmp_path: Path) -> None:
    extra = ", ".join(f"(0, {n}, 'en', 'x', NULL, NULL)" for n in range(10, 310))
    path = tampered(good, tmp_path / "bad.sqlite", f"INSERT INTO translations VALUES {extra}")
    assert "position" in refused(path)


# -- 3. opening reads only what it must of what the file names --------------------


def with_catalogs(good: Path, target: Path, catalogs: list[dict[str, Any]]) -> Path:
    return tampered(
        good,
        target,
        "UPDATE corpus_info SET value = ? WHERE key = 'catalogs'",
        json.dumps(catalogs),
    )


def stamp(path: str | Path, **changes: Any) -> dict[str, Any]:
    return {"catalog": str(path), "sha256": "0" * 64, "size": 5, "mtime_ns": 1, **changes}


@POSIX
def test_catalogs_that_are_devices_pipes_or_huge_neither_hang_nor_cost(
    good: Path, tmp_path: Path
) -> None:
    pipe_folder = tmp_path / "pipe"
    pipe_folder.mkdir()
    os.mkfifo(pipe_folder / "catalog.json")
    link_folder = tmp_path / "link"
    link_folder.mkdir()
    (link_folder / "catalog.json").symlink_to("/dev/zero")
    big = tmp_path / "big" / "catalog.json"
    big.parent.mkdir()
    with open(big, "wb") as file:
        file.truncate(512 * 1024 * 1024)  # sparse: a large file, cheaply
    catalogs = [
        stamp("/dev/zero"),
        stamp(pipe_folder / "catalog.json"),
        stamp(link_folder / "catalog.json"),
        *[stamp(big, size=big.stat().st_size) for _ in range(60)],
    ]
    path = with_catalogs(good, tmp_path / "hostile.sqlite", catalogs)
    result = cli("--corpus", str(path), "list")
    assert result.returncode == 0, result.stderr
    # Only the large catalog named catalog.json is looked at, and not read whole.
    assert str(big) in result.stderr
    assert "/dev/zero" not in result.stderr
    assert "pipe" not in result.stderr


def test_a_catalog_path_not_named_catalog_json_is_never_looked_at(
    good: Path, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("not what the stamp says", encoding="utf-8")
    path = with_catalogs(good, tmp_path / "probe.sqlite", [stamp(secret)])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        clientocracy.load(path).close()


@pytest.mark.parametrize(
    "catalogs",
    [
        "not json",
        json.dumps({"catalog": "/x"}),
        json.dumps([stamp("relative/catalog.json")]),
        json.dumps([stamp("/x/catalog.json", sha256="../../etc")]),
        json.dumps([stamp("/x/catalog.json", size="5")]),
        json.dumps([stamp("/x/catalog.json")] * 65),
    ],
)
def test_malformed_catalogs_are_refused(good: Path, tmp_path: Path, catalogs: str) -> None:
    path = tampered(
        good,
        tmp_path / "bad.sqlite",
        "UPDATE corpus_info SET value = ? WHERE key = 'catalogs'",
        catalogs,
    )
    with pytest.raises(CorpusError, match="corpus_info, row catalogs"):
        clientocracy.load(path)


# -- 4. nothing the user names blocks ---------------------------------------------


@POSIX
def test_named_pipes_never_block(good: Path, tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.sqlite"
    os.mkfifo(pipe)
    plain = tmp_path / "plain-pipe"
    os.mkfifo(plain)
    for path in (pipe, plain):
        assert_refused(cli("validate", str(path)))
        assert_refused(cli("build", "-o", str(path)))
    result = python(
        """
        import sys, clientocracy
        from clientocracy._stores.compiled import is_compiled, looks_like_sqlite
        print(is_compiled(sys.argv[1]), looks_like_sqlite(sys.argv[2]))
        for path in sys.argv[1:]:
            try:
                clientocracy.compile(clientocracy.Corpus.bundled(), path)
            except FileExistsError as error:
                print("refused", error.strerror)
            try:
                clientocracy.load(path)
            except clientocracy.CorpusError as error:
                print("not loaded")
        """,
        str(pipe),
        str(plain),
    )
    refusal = "refused exists and is not a compiled clientocracy corpus; not overwriting it"
    assert result.stdout.splitlines() == [
        "False False",
        refusal,
        "not loaded",
        refusal,
        "not loaded",
    ], result.stderr


# -- 5. a file replaced while open ------------------------------------------------


def test_a_file_overwritten_while_open_is_a_clear_error(good: Path, tmp_path: Path) -> None:
    path = tmp_path / "open.sqlite"
    shutil.copyfile(good, path)
    other = tmp_path / "other.sqlite"
    folder = user_corpus(tmp_path)
    clientocracy.compile(folder, other)
    corpus = clientocracy.load(path)
    first = corpus.stories()[0].id
    # Another process copies a new build over the file in use, as `cp` does.
    subprocess.run(["cp", str(other), str(path)], check=True, timeout=HANG)
    with pytest.raises(CorpusError, match="changed while it was open"):
        corpus.stories().ids()
    with pytest.raises(CorpusError, match="changed while it was open"):
        corpus.search("customer")
    # Opened again, it is the new file, whole.
    again = clientocracy.load(path)
    assert again.stories().ids() == clientocracy.load(folder).stories().ids()
    assert first not in again.stories().ids()


def test_a_file_renamed_over_while_open_keeps_reading_the_one_opened(
    good: Path, tmp_path: Path
) -> None:
    path = tmp_path / "open.sqlite"
    shutil.copyfile(good, path)
    corpus = clientocracy.load(path)
    ids = corpus.stories().ids()
    replacement = tmp_path / "new.sqlite"
    folder = user_corpus(tmp_path)
    clientocracy.compile(folder, replacement)
    os.replace(replacement, path)
    assert corpus.stories().ids() == ids
    assert [story.text for story in corpus.stories()] == [
        s.text for s in Corpus.bundled().stories()
    ]
    assert clientocracy.load(path).stories().ids() == clientocracy.load(folder).stories().ids()


# -- fuzz: every file loads whole or is refused -------------------------------------


def exercise(path: Path) -> str:
    """Use all of *path* as a user would, first as loaded, then after checking it
    whole; return "ok" or the CorpusError's first problem, for each."""
    from clientocracy._stores.sqlite import verify

    outcomes = []
    for check_first in (False, True):
        try:
            corpus = (
                clientocracy.Corpus._from_store(verify(path))
                if check_first
                else clientocracy.load(path)
            )
            try:
                for story in corpus.stories():
                    story.text  # noqa: B018
                corpus.search("customer", limit=5)
                for language in corpus.languages():
                    clientocracy.export(corpus.stories(language=language))
                # By record: a name index that lies is found by verify, not here.
                for company in corpus.companies():
                    corpus.stories(company=company).ids()
            finally:
                corpus.close()
        except CorpusError as error:
            outcomes.append(error.problems[0])
        else:
            outcomes.append("ok")
    return " | ".join(outcomes)


def assert_loaded_or_refused(outcome: str, path: Path) -> None:
    for part in outcome.split(" | "):
        assert part == "ok" or part.startswith(str(path)), outcome


TABLE_COLUMNS = {
    "corpus_info": ["key", "value"],
    "languages": ["id", "position", "name", "native_name", "direction", "aliases"],
    "companies": ["id", "position", "name", "aliases", "industry", "country"],
    "sources": ["id", "language", "titles", "chars", "sha256", "origin", "origin_start", "tags"],
    "principles": ["id", "names", "aliases", "definitions", "statement_source", "statement_end"],
    "stories": ["id", "titles", "summaries", "company", "source", "span_start", "span_end"],
    "story_principles": ["story", "position", "principle"],
    "translations": ["story", "position", "language", "translator", "review"],
    "segments": ["story", "translation", "start", "end", "original", "text", "paragraph"],
    "name_keys": ["facet", "key", "id"],
    "facet_index": ["facet", "value", "stories", "bitmap", "positions"],
}
HOSTILE = st.one_of(
    st.none(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=True),
    st.binary(max_size=40),
    st.text(max_size=40),
    st.sampled_from(
        [
            "{}",
            "[]",
            '{"en": 1}',
            '{"en": "x"}',
            "[" * 5000,
            '{"en": "a", "en": "b"}',
            "/../../etc/passwd",
            "a" * 64,
            "zappos",
            "en",
            '["x"]',
        ]
    ),
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    table=st.sampled_from(sorted(TABLE_COLUMNS)),
    data=st.data(),
    value=HOSTILE,
    every_row=st.booleans(),
)
def test_fuzz_rows_load_or_are_refused(
    good: Path, tmp_path: Path, table: str, data: st.DataObject, value: object, every_row: bool
) -> None:
    column = data.draw(st.sampled_from(TABLE_COLUMNS[table]))
    path = tmp_path / "fuzz.sqlite"
    shutil.copyfile(good, path)
    db = sqlite3.connect(path)
    where = "" if every_row else f" WHERE rowid = (SELECT min(rowid) FROM {table})"
    if table in ("story_principles", "translations", "facet_index"):  # WITHOUT ROWID
        where = ""
    try:
        db.execute(f'UPDATE {table} SET "{column}" = ?{where}', (value,))
        db.commit()
    except sqlite3.IntegrityError:
        return  # a constraint of the schema refused the value
    finally:
        db.close()
    assert_loaded_or_refused(exercise(path), path)


FUZZ_RUNNER = """
import json, os, random, resource, shutil, sys, time
resource.setrlimit(resource.RLIMIT_AS, ({memory}, {memory}))
from pathlib import Path
import clientocracy
from clientocracy import CorpusError
{exercise}
good, folder, seed, count = sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
data = open(good, "rb").read()
rng = random.Random(seed)
for number in range(count):
    damaged = bytearray(data)
    for _ in range(rng.choice((1, 4, 32))):
        where = rng.randrange(0 if rng.random() < 0.05 else 100, len(damaged))
        damaged[where] = rng.randrange(256)
    path = os.path.join(folder, f"damaged-{{number}}.sqlite")
    with open(path, "wb") as file:
        file.write(damaged)
    print(json.dumps([path, exercise(Path(path))]), flush=True)
    os.unlink(path)
print("done", flush=True)
"""


@POSIX
def test_fuzz_damaged_bytes_load_or_are_refused_in_bounds(good: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            FUZZ_RUNNER.format(memory=MEMORY, exercise=inspect.getsource(exercise)),
            "runner",
            str(good),
            str(tmp_path),
            str(random.randrange(2**32)),
            "300",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    lines = result.stdout.splitlines()
    assert lines[-1] == "done"
    for line in lines[:-1]:
        path, outcome = json.loads(line)
        assert_loaded_or_refused(outcome, Path(path))


@POSIX
def test_a_pipe_swapped_in_after_the_check_is_refused_not_waited_on(
    good: Path, tmp_path: Path
) -> None:
    from clientocracy._io.sqlite_guard import GuardedFile

    path = tmp_path / "swapped.sqlite"
    shutil.copyfile(good, path)
    file = GuardedFile(str(path), "swapped.sqlite")
    try:
        # Between the check of what was opened and SQLite's own open, someone
        # who can write the folder puts a pipe in the file's place.
        path.unlink()
        os.mkfifo(path)
        with pytest.raises(CorpusError, match="replaced while it was being opened"):
            file.connect()
    finally:
        file.close()


@given(path=st.text(st.characters(blacklist_categories=["Cs"]), max_size=80))
def test_a_file_name_is_quoted_in_its_uri_as_urllib_quotes_it(path: str) -> None:
    # The URI SQLite opens a compiled file by is made without urllib; a
    # name with "?", "#", "%" or any other character must still name the file.
    from urllib.parse import quote

    from clientocracy._io.sqlite_guard import uri_quote

    assert uri_quote(path) == quote(path, safe="/:")


def test_a_compiled_file_whose_name_needs_quoting_opens(tmp_path: Path) -> None:
    folder = tmp_path / "a ?#%&=; ё دا 100%"
    folder.mkdir()
    target = folder / "stories #1?.sqlite"
    clientocracy.compile(Corpus.bundled(), target)
    assert Corpus.load(target).stories().ids() == clientocracy.stories().ids()
