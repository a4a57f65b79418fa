"""Hostile input: corpora that race, lie or bloat, terminal payloads, odd arguments.

Each class of attack has a test that would fail if the defence were taken
away; the command is run as users run it, through the installed entry point,
wherever it is involved.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import clientocracy
import clientocracy._corpus.corpus as corpus_module
from clientocracy import (
    Corpus,
    CorpusError,
    Source,
)

from .. import helpers
from ..helpers import (
    SCRIPT,
    TEXT,
    give_up_after,
    hostile_corpus,
    problems_of,
    run_on_terminal,
    sha,
    shell,
    user_catalog,
    write_corpus,
)

POSIX = pytest.mark.skipif(os.name != "posix", reason="POSIX file system semantics")
ROOT = hasattr(os, "geteuid") and os.geteuid() == 0

SECRET = "root:x:0:0:the secret that lives outside the corpus folder\n"

# Every character that must never reach a terminal raw.
UNSAFE = [
    *(chr(c) for c in range(0x20) if chr(c) not in "\n\t"),
    "\x7f",
    *(chr(c) for c in range(0x80, 0xA0)),
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
    "\u200e",
    "\u200f",
    "\u061c",
]


def problems(path: Path) -> str:
    return "\n".join(problems_of(path))


def run(*args: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return helpers.run(*args, errors="surrogateescape", **kwargs)


# -- 1. a corpus folder that changes while it loads ----------------------------


SWAPPER = """
import os, shutil, sys
path, variants = sys.argv[1], sys.argv[2:]
spare = path + ".swap"
while True:
    for variant in variants:
        try:
            if os.path.lexists(spare):
                os.unlink(spare)
            if os.path.islink(variant):
                os.symlink(os.readlink(variant), spare)
            elif variant.endswith("pipe"):
                os.mkfifo(spare)
            else:
                shutil.copyfile(variant, spare)
            os.replace(spare, path)
        except OSError:
            pass
"""


@contextlib.contextmanager
def swapping(path: Path, *variants: Path) -> Iterator[None]:
    """Keep replacing *path* by each of *variants* in turn, atomically, while loads run.

    The swapper is a process of its own, so that it runs truly alongside the
    loads (on another core), not only when the loading thread lets it.
    """
    swapper = subprocess.Popen([sys.executable, "-c", SWAPPER, str(path), *map(str, variants)])
    try:
        check = give_up_after("the swapper has replaced the file once")
        while not (path.is_symlink() or path.is_fifo()):  # until it has swapped once
            check()
        yield
    finally:
        swapper.kill()
        swapper.wait(timeout=60)


def load_in_thread(folder: Path) -> Corpus | CorpusError:
    """Load *folder*; fail the test (instead of hanging it) if the load blocks."""
    result: list[Corpus | CorpusError] = []

    def target() -> None:
        try:
            result.append(clientocracy.load(folder))
        except CorpusError as error:
            result.append(error)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(60)
    assert result, "load() blocked: it opened something that never answers, such as a pipe"
    return result[0]


@POSIX
def test_a_text_swapped_for_a_link_or_a_pipe_while_loading(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    folder = write_corpus(tmp_path / "corpus")
    text = folder / "texts" / "acme.txt"
    variants = tmp_path / "variants"
    variants.mkdir()
    (variants / "genuine").write_text(TEXT, encoding="utf-8")
    (variants / "link").symlink_to(secret)
    (variants / "up").symlink_to("../../secret.txt")
    os.mkfifo(variants / "pipe")
    outcomes = set()
    with swapping(
        text, variants / "genuine", variants / "link", variants / "up", variants / "pipe"
    ):
        for turn in racing():
            outcome = load_in_thread(folder)
            if isinstance(outcome, Corpus):
                assert outcome.sources()[-1].text == TEXT
                outcomes.add("loaded")
            else:
                message = str(outcome)
                assert "secret" not in message
                assert sha(SECRET) not in message
                outcomes.add(message.splitlines()[1].split(": ", 2)[-1])
            if turn >= 400 and all_met(outcomes):
                break
    # Every swap was seen at some point, and each was refused for what it was.
    assert all_met(outcomes), outcomes


@POSIX
def test_the_catalog_swapped_for_a_link_while_loading(tmp_path: Path) -> None:
    outside = write_corpus(tmp_path / "outside", user_catalog(title="Not from this corpus"))
    folder = write_corpus(tmp_path / "corpus")
    variants = tmp_path / "variants"
    variants.mkdir()
    shutil.copyfile(folder / "catalog.json", variants / "genuine")
    (variants / "link").symlink_to(outside / "catalog.json")
    os.mkfifo(variants / "pipe")
    outcomes = set()
    with swapping(
        folder / "catalog.json", variants / "genuine", variants / "link", variants / "pipe"
    ):
        for turn in racing():
            outcome = load_in_thread(folder)
            if isinstance(outcome, Corpus):
                assert outcome.story("acme-umbrella").title == "The umbrella"
                outcomes.add("loaded")
            else:
                message = str(outcome)
                assert "Not from this corpus" not in message
                assert f"{folder / 'catalog.json'}: " in message
                outcomes.add(message.splitlines()[1].split(": ", 2)[-1])
            if turn >= 400 and all_met(outcomes):
                break
    # Each kind of file was met, and each refused for what it was.
    assert all_met(outcomes), outcomes


def racing(tries: int = 400, seconds: float = 120) -> Iterator[int]:
    """At least *tries* turns, then more until the caller breaks, for up to *seconds* in all.

    On a busy machine the swapper gets fewer turns, and it takes more loads
    to meet every kind of file.
    """
    end = time.monotonic() + seconds
    for turn in itertools.count():
        if turn >= tries and time.monotonic() > end:
            return
        yield turn


def all_met(outcomes: set[str]) -> bool:
    """Whether loads have met the genuine catalog, the link out, and the pipe."""
    return (
        "loaded" in outcomes
        and any("points outside the corpus folder" in o for o in outcomes)
        and any("not a regular file" in o for o in outcomes)
    )


@POSIX
def test_links_inside_the_folder_still_work_and_absolute_ones_outside_do_not(
    tmp_path: Path,
) -> None:
    folder = write_corpus(tmp_path / "corpus")
    (folder / "texts" / "acme.txt").rename(folder / "real.txt")
    (folder / "texts" / "acme.txt").symlink_to("../real.txt")
    assert clientocracy.load(folder).story("acme-umbrella")
    (folder / "texts" / "acme.txt").unlink()
    (folder / "texts" / "acme.txt").symlink_to(folder / "real.txt")  # absolute, but inside
    assert clientocracy.load(folder).story("acme-umbrella")
    (folder / "texts" / "acme.txt").unlink()
    (folder / "texts" / "acme.txt").symlink_to("acme.txt")  # a loop
    assert "too many links" in problems(folder)
    (folder / "texts" / "acme.txt").unlink()
    (tmp_path / "elsewhere").mkdir()
    (folder / "texts").rename(tmp_path / "elsewhere" / "texts")
    (folder / "texts").symlink_to(tmp_path / "elsewhere" / "texts")  # a folder outside
    assert "points outside the corpus folder" in problems(folder)


@POSIX
def test_special_files_are_refused_without_blocking(tmp_path: Path) -> None:
    folder = write_corpus(tmp_path / "corpus")
    (folder / "texts" / "acme.txt").unlink()
    os.mkfifo(folder / "texts" / "acme.txt")
    outcome = load_in_thread(folder)
    assert isinstance(outcome, CorpusError)
    assert "not a regular file" in str(outcome)
    (folder / "catalog.json").rename(folder / "catalog.real")
    os.mkfifo(folder / "catalog.json")
    outcome = load_in_thread(folder)
    assert isinstance(outcome, CorpusError)
    assert "catalog.json: not a regular file" in str(outcome)


def test_where_files_cannot_be_opened_relative_to_a_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As on Windows: paths are checked, opened, and what was opened checked.
    import clientocracy._io.files as files

    monkeypatch.setattr(files, "_RELATIVE", False)
    folder = write_corpus(tmp_path / "corpus")
    corpus = clientocracy.load(folder)
    corpus.save(tmp_path / "saved")
    again = clientocracy.load(tmp_path / "saved")
    assert clientocracy.export(again.stories()) == clientocracy.export(corpus.stories())
    if hasattr(os, "symlink"):
        (tmp_path / "secret.txt").write_text(SECRET, encoding="utf-8")
        (folder / "texts" / "acme.txt").unlink()
        (folder / "texts" / "acme.txt").symlink_to(tmp_path / "secret.txt")
        assert "points outside the corpus folder" in problems(folder)


def test_an_unreadable_catalog_is_a_corpus_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_corpus(tmp_path / "corpus")
    real_open = os.open
    opened: list[str] = []

    def refusing(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        # Only the catalog opened as a file is refused: opening its path as
        # a folder must still fail as it would (not a folder), so that
        # loading by the catalog's path goes on to read it.
        if os.fspath(path).endswith("catalog.json") and not flags & getattr(os, "O_DIRECTORY", 0):
            opened.append(os.fspath(path))
            raise PermissionError(13, "Permission denied", path)
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refusing)
    assert "catalog.json: cannot read: Permission denied" in problems(folder)
    assert opened
    opened.clear()
    assert "catalog.json: cannot read: Permission denied" in problems(folder / "catalog.json")
    assert opened, "the catalog was never opened as a file"


def test_a_corpus_loads_by_the_path_of_its_catalog(tmp_path: Path) -> None:
    folder = write_corpus(tmp_path / "corpus")
    catalog_path = folder / "catalog.json"
    by_folder = clientocracy.load(folder)
    by_catalog = clientocracy.load(catalog_path)
    assert by_catalog.story("acme-umbrella").text == by_folder.story("acme-umbrella").text
    assert by_catalog.story("acme-umbrella").source.text == TEXT
    listed = run("--no-bundled", "--corpus", str(catalog_path), "list")
    assert listed.returncode == 0, listed.stderr
    assert [line.split()[0] for line in listed.stdout.splitlines()[1:]] == ["acme-umbrella"]
    validated = run("validate", str(catalog_path))
    assert validated.returncode == 0, validated.stdout + validated.stderr
    assert validated.stdout.startswith(f"{catalog_path}: valid. It defines 1 story")


@POSIX
@pytest.mark.skipif(ROOT, reason="root reads every file")
def test_an_unreadable_catalog_exits_1_from_validate(tmp_path: Path) -> None:
    folder = write_corpus(tmp_path / "corpus")
    (folder / "catalog.json").chmod(0)
    result = run("validate", str(folder))
    assert result.returncode == 1
    assert "cannot read: Permission denied" in result.stdout
    assert "Traceback" not in result.stderr


# -- 3. catalogs that JSON allows but a catalog must not -----------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            json.dumps(user_catalog())[:-1] + ', "stories": []}',
            "top level: the key 'stories' appears twice",
        ),
        (
            json.dumps(user_catalog()).replace('"id": "acme-umbrella"', '"id": "a", "id": "b"'),
            "stories[0] ('b'): the key 'id' appears twice",
        ),
        (
            json.dumps(user_catalog()).replace(
                '"country": "GB"', '"country": "GB", "country": "US"'
            ),
            "companies[0] ('acme'): the key 'country' appears twice",
        ),
        (json.dumps(user_catalog()).replace('"version": 1', '"version": true'), "got True"),
        (json.dumps(user_catalog()).replace('"version": 1', '"version": 1.0'), "got 1.0"),
        (json.dumps(user_catalog()).replace('"version": 1', '"version": "1"'), "got '1'"),
        (
            json.dumps(user_catalog()).replace('"start": 10', '"start": NaN'),
            "stories[0] ('acme-umbrella'): field 'span' (start): NaN is not a JSON number",
        ),
        (
            json.dumps(user_catalog()).replace('"end": 65', '"end": -Infinity'),
            "-Infinity is not a JSON number",
        ),
        (
            json.dumps(user_catalog()).replace('"The umbrella"', '"The \\ud800 umbrella"', 1),
            "stories[0] ('acme-umbrella'): field 'title': a lone surrogate escape",
        ),
        (
            json.dumps(user_catalog()).replace('"Acme"', '"\\udfff"'),
            "companies[0] ('acme'): field 'name': a lone surrogate escape",
        ),
    ],
)
def test_json_a_catalog_must_not_contain(tmp_path: Path, raw: str, expected: str) -> None:
    found = problems(write_corpus(tmp_path / "c", raw.encode()))
    assert expected in found


def test_a_surrogate_pair_escape_is_one_character(tmp_path: Path) -> None:
    raw = json.dumps(user_catalog()).replace('"The umbrella"', '"The \\ud83d\\ude42 umbrella"', 1)
    corpus = clientocracy.load(write_corpus(tmp_path / "c", raw.encode()))
    assert corpus.story("acme-umbrella").title == "The 🙂 umbrella"


def test_limits_of_a_catalog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import clientocracy._io.strict_json as decoding

    long = user_catalog(summary="x" * (decoding.MAX_STRING_CHARS + 1))
    found = problems(write_corpus(tmp_path / "long", long))
    assert (
        "stories[0] ('acme-umbrella'): field 'summary': 65,537 characters, over the limit" in found
    )
    monkeypatch.setattr(decoding, "MAX_RECORDS", 3)
    many = user_catalog()
    many["stories"] = [dict(many["stories"][0], id=f"s{i}") for i in range(3)]
    assert "5 records, over the limit of 3 for one catalog" in problems(
        write_corpus(tmp_path / "many", many)
    )


def test_a_flood_of_objects_is_refused_before_it_is_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import clientocracy._io.strict_json as decoding

    def never(*args: object, **kwargs: object) -> object:
        raise AssertionError("the catalog was parsed")

    Corpus.bundled()  # the bundled catalog is parsed, and trusted
    monkeypatch.setattr(decoding.json, "loads", never)
    flood = b'{"format": "clientocracy-catalog", "version": 1, "stories": [' + b"{}," * 100_000
    found = problems(write_corpus(tmp_path / "flood", flood + b"{}]}"))
    assert "100,003 objects and lists (counting every '{' and '['), over the limit" in found
    # A valid catalog of a thousand records is parsed as usual.
    monkeypatch.undo()
    many = user_catalog()
    many["stories"] = [dict(many["stories"][0], id=f"s{i}") for i in range(1_000)]
    assert len(clientocracy.load(write_corpus(tmp_path / "many", many)).stories()) == 1_000


# The strings hypothesis picks for hostile corpora: controls, bidi, lone
# surrogates, quotes and JSON syntax.
hostile_text = st.text(
    alphabet=st.sampled_from(
        ["a", " ", '"', "\\", "{", "[", "\x1b", "\u202e", "\x9b", "\u200c", "\ud800", "é", "\x00"]
    ),
    max_size=12,
)
json_fragments = st.sampled_from(
    [
        '"version": true',
        '"version": 1',
        '"stories": []',
        '"format": "clientocracy-catalog"',
        '"id": "x"',
        '"start": NaN',
        '"x": "\\ud800"',
        '"y": "\\ud83d\\ude42"',
        '"z": [[[]]]',
        '"n": 1e999',
    ]
)


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    extra=st.lists(json_fragments, max_size=4),
    field=st.sampled_from(["title", "summary", "id", "company", "channel"]),
    value=hostile_text,
)
def test_hostile_catalogs_load_or_raise_corpus_error(
    tmp_path_factory: pytest.TempPathFactory, extra: list[str], field: str, value: str
) -> None:
    raw = json.dumps(user_catalog(**{field: value}))
    if extra:
        raw = raw[:-1] + ", " + ", ".join(extra) + "}"
    folder = write_corpus(tmp_path_factory.mktemp("c"), raw.encode("utf-8", errors="surrogatepass"))
    try:
        corpus = clientocracy.load(folder)
    except CorpusError as error:
        problems = error.problems
        assert problems
        return
    # What loads can be written out and read back: no lone surrogate got in.
    out = tmp_path_factory.mktemp("saved") / "corpus"
    corpus.save(out)
    again = clientocracy.load(out)
    for format in clientocracy.FORMATS:
        written = clientocracy.export(corpus.stories(), format)
        assert clientocracy.export(again.stories(), format) == written
        written.encode("utf-8")


# -- 5. files written -------------------------------------------------------------


def test_a_failed_save_leaves_no_catalog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import clientocracy._io.files as files

    broken = hostile_corpus("\ud800")
    with pytest.raises(ValueError, match="lone surrogate"):
        broken.save(tmp_path / "surrogate")
    assert not (tmp_path / "surrogate").exists()

    written: list[str] = []
    real = files.write_atomically

    def full_disk(path: str, data: bytes, **kwargs: Any) -> None:
        if path.endswith("catalog.json"):
            raise OSError(28, "No space left on device", path)
        written.append(path)
        real(path, data, **kwargs)

    monkeypatch.setattr(files, "write_atomically", full_disk)
    (tmp_path / "empty").mkdir()
    with pytest.raises(OSError, match="No space left"):
        clientocracy.Corpus.bundled().save(tmp_path / "empty")
    assert written  # the texts were written, then removed again
    assert os.listdir(tmp_path / "empty") == []
    with pytest.raises(OSError, match="No space left"):
        clientocracy.Corpus.bundled().save(tmp_path / "new")
    assert not (tmp_path / "new").exists()


@POSIX
def test_a_link_planted_while_saving_is_not_followed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "texts").symlink_to(outside)
    # As if the link appeared just after the folder was found empty.
    real_listdir = os.listdir
    monkeypatch.setattr(
        os, "listdir", lambda path=".": [] if path == str(folder) else real_listdir(path)
    )
    with pytest.raises(FileExistsError):
        clientocracy.Corpus.bundled().save(folder)
    assert real_listdir(outside) == []
    assert not (folder / "catalog.json").exists()


def test_a_text_named_many_times_counts_every_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import clientocracy._catalog.loading as loading

    many = user_catalog()
    many["sources"] += [dict(many["sources"][0], id=f"s{i}") for i in range(50)]
    folder = write_corpus(tmp_path / "c", many)
    assert clientocracy.load(folder)
    monkeypatch.setattr(loading, "MAX_CORPUS_BYTES", len(TEXT) * 20)
    assert "over the limit for one corpus" in problems(folder)


def test_many_bad_references_cost_one_listing_of_what_is_known(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = user_catalog()
    bad["stories"] = [dict(bad["stories"][0], id=f"s{i}", source=f"no{i}") for i in range(300)]
    folder = write_corpus(tmp_path / "c", bad)
    Corpus.bundled()
    listings = []
    real = Corpus.sources

    def sources(self: Corpus) -> tuple[Source, ...]:
        listings.append(self)
        return real(self)

    monkeypatch.setattr(Corpus, "sources", sources)
    assert problems(folder).count("no source has id") == 300
    assert len(listings) == 1


def test_an_outlandish_name_is_refused_cheaply_and_briefly() -> None:
    with pytest.raises(clientocracy.UnknownValueError) as info:
        clientocracy.company("Zappos" * 1_000_000)
    assert info.value.suggestions == ()
    assert info.value.value == "Zappos" * 1_000_000
    assert len(str(info.value)) < 300
    with pytest.raises(clientocracy.UnknownValueError) as info:
        clientocracy.story("x" * 1_000_000)
    assert len(str(info.value)) < 300
    with pytest.raises(clientocracy.UnknownValueError, match="Did you mean 'Zappos'"):
        clientocracy.company("Zapos")


@POSIX
def test_export_output_gets_the_mode_a_shell_would_give(tmp_path: Path) -> None:
    out = tmp_path / "stories.json"
    result = shell(f'umask 022 && "$C" export -o "{out}"')
    assert result.returncode == 0, result.stderr
    assert out.stat().st_mode & 0o777 == 0o644
    assert shell(f'umask 077 && "$C" export -o "{tmp_path / "private.json"}"').returncode == 0
    assert (tmp_path / "private.json").stat().st_mode & 0o777 == 0o600
    out.chmod(0o640)
    assert shell(f'umask 022 && "$C" export --format csv -o "{out}"').returncode == 0
    assert out.stat().st_mode & 0o777 == 0o640
    assert out.read_text(encoding="utf-8").startswith("id,title")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


@POSIX
def test_parquet_files_are_written_like_every_other(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    out = tmp_path / "stories.parquet"
    assert shell(f'umask 022 && "$C" export --format parquet -o "{out}"').returncode == 0
    assert out.stat().st_mode & 0o777 == 0o644
    out.chmod(0o640)
    assert shell(f'umask 022 && "$C" export --format parquet -o "{out}"').returncode == 0
    assert out.stat().st_mode & 0o777 == 0o640
    assert shell(f'umask 022 && "$C" export --format hf -o "{tmp_path / "hf"}"').returncode == 0
    assert (tmp_path / "hf" / "README.md").stat().st_mode & 0o777 == 0o644
    assert [p.name for p in tmp_path.rglob(".*")] == []


@POSIX
def test_export_output_through_a_link_and_to_a_device(tmp_path: Path) -> None:
    target = tmp_path / "target.json"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o604)
    link = tmp_path / "link.json"
    link.symlink_to(target)
    assert run("export", "-o", str(link)).returncode == 0
    assert link.is_symlink()  # the link stays, the file it points to is replaced
    assert json.loads(target.read_text(encoding="utf-8"))[0]["id"]
    assert target.stat().st_mode & 0o777 == 0o604
    dangling = tmp_path / "dangling.json"
    dangling.symlink_to(tmp_path / "new.json")
    assert run("export", "-o", str(dangling)).returncode == 0
    assert (tmp_path / "new.json").is_file()
    assert run("export", "-o", os.devnull).returncode == 0
    assert Path(os.devnull).is_char_device()
    missing = run("export", "-o", str(tmp_path / "no" / "such.json"))
    assert missing.returncode == 2
    assert f"No such file or directory: {tmp_path / 'no' / 'such.json'}" in missing.stderr


# -- 4. nothing makes the command print a traceback ------------------------------


@POSIX
@pytest.mark.parametrize(
    ("command", "status", "message"),
    [
        ('"$C" list >&-', 2, "cannot write to standard output: it is closed"),
        ('"$C" list --json >&-', 2, "cannot write to standard output: it is closed"),
        ('"$C" --bidi list >&-', 2, "cannot write to standard output: it is closed"),
        ('"$C" --help >&-', 2, "cannot write to standard output: it is closed"),
        ('"$C" list > /dev/full', 2, "cannot write to standard output: No space left"),
        ('"$C" --version > /dev/full', 2, "cannot write to standard output: No space left"),
        ('"$C" export -o out.json >&-', 0, ""),
        ('"$C" show nowhere 2>&-', 2, ""),
        ('"$C" list >&- 2>&-', 2, ""),
        ('"$C" --no-bundled companies', 0, ""),
        ('"$C" --no-bundled languages --json', 0, ""),
        ('"$C" --no-bundled principles', 0, ""),
        ('"$C" --no-bundled list', 1, "the corpus has no stories"),
        ('"$C" --no-bundled random', 1, "the corpus has no stories"),
        ('"$C" --no-bundled search x', 1, "no story matches"),
        ('"$C" search zappos --limit 9223372036854775808', 0, ""),
        ('"$C" search zappos --limit 99999999999999999999999999', 0, ""),
        ('"$C" search $(seq -s " w" 1 100)', 2, "more than 64 words"),
        ('"$C" random --seed 99999999999999999999999999999', 0, ""),
        ('COLUMNS=0 "$C" show zappos-flowers-for-a-mother', 0, ""),
        ('COLUMNS=nonsense "$C" list', 0, ""),
        ('LANG=C LC_ALL=C PYTHONIOENCODING= "$C" show "$(printf "\\377\\376")"', 2, "unknown"),
        ('"$C" --corpus "$(printf "\\377")" list', 2, "no such corpus folder"),
    ],
)
def test_no_traceback_ever(tmp_path: Path, command: str, status: int, message: str) -> None:
    result = shell(command, cwd=tmp_path)
    assert "Traceback" not in result.stderr
    assert result.returncode == status, result.stderr
    assert message in result.stderr
    assert len(result.stderr.splitlines()) <= 2


@POSIX
def test_ctrl_c_prints_one_line_and_exits_130(tmp_path: Path) -> None:
    # A few thousand stories, so that the export outgrows the pipe's buffer:
    # once the first line has been read and no more is, the command is
    # blocked writing, and the interrupt lands mid-command.
    big = tmp_path / "big"
    generate = Path(__file__).parent.parent.parent / "benchmarks" / "generate.py"
    subprocess.run([sys.executable, str(generate), "2000", str(big)], check=True, timeout=300)
    process = subprocess.Popen(
        [SCRIPT, "--corpus", str(big), "export", "--format", "jsonl"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        # As from a terminal: a runner started in the background (`cmd &`)
        # ignores SIGINT, and its children would inherit that.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    assert process.stdout is not None
    assert process.stdout.readline().startswith(b"{")
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 130
    assert stderr == b"clientocracy: interrupted\n"


def test_ctrl_c_while_writing_leaves_no_partial_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import clientocracy._io.files as files
    from clientocracy._cli.app import main

    out = tmp_path / "stories.json"
    out.write_text("the previous export", encoding="utf-8")

    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(files.os, "fsync", interrupted)
    assert main(["export", "-o", str(out)]) == 130
    assert capsys.readouterr().err == "clientocracy: interrupted\n"
    assert out.read_text(encoding="utf-8") == "the previous export"
    assert [p.name for p in tmp_path.iterdir()] == ["stories.json"]


# -- 2. terminal controls from data and arguments --------------------------------


def assert_terminal_safe(text: str) -> None:
    for char in UNSAFE:
        assert char not in text, f"{char!r} reached the terminal"


COMMANDS = [
    ("list",),
    ("show", "story\x1b[31mEVIL\x1b[0m\u202eRLO\u2067ISO\x07BEL\x9bC1"),
    ("random", "--seed", "1"),
    ("companies",),
    ("principles",),
    ("languages",),
    ("search", "umbrella"),
    ("search", "evil"),
    ("search", "nothing-at-all"),
    ("list", "--company", "Company \x1b[31mEVIL"),
    ("list", "--company", "nobody \x1b]0;title\x07"),
    ("show", "no-such-story\u202e\x1b[2J"),
    ("search", "x", "--language", "\x9b31m"),
    ("export", "--format", "\x1b[31m"),
    ("\x1b[31mcommand",),
    ("list", "--\x1b[2Joption"),
    ("list", "--bidi"),
    ("show", "story\x1b[31mEVIL\x1b[0m\u202eRLO\u2067ISO\x07BEL\x9bC1", "--bidi"),
]


@POSIX
@pytest.mark.parametrize("args", COMMANDS, ids=lambda args: " ".join(map(ascii, args)))
def test_hostile_values_in_every_field_never_reach_the_terminal(
    hostile_folder: Path, args: tuple[str, ...]
) -> None:
    result = run("--no-bundled", "--corpus", str(hostile_folder), *args)
    assert "Traceback" not in result.stderr
    assert_terminal_safe(result.stdout)
    assert_terminal_safe(result.stderr)
    if COMMANDS.index(args) < 9:  # the corpus loaded; the command finds its data or not
        expected = 1 if args in (("search", "evil"), ("search", "nothing-at-all")) else 0
        assert result.returncode == expected, result.stderr
    if result.returncode == 0:
        assert "\\x1b[31mEVIL" in result.stdout  # shown, as an escape


@pytest.fixture(scope="module")
def hostile_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile") / "corpus"
    hostile_corpus().save(folder)
    return folder


@POSIX
@pytest.mark.parametrize(
    "args",
    [
        ("list", "--json"),
        ("show", "story\x1b[31mEVIL\x1b[0m\u202eRLO\u2067ISO\x07BEL\x9bC1", "--json"),
        ("companies", "--json"),
        ("principles", "--json"),
        ("languages", "--json"),
        ("search", "umbrella", "--json"),
        ("export", "--format", "json"),
        ("export", "--format", "jsonl"),
    ],
)
def test_json_is_exact_data_in_terminal_safe_text(
    hostile_folder: Path, args: tuple[str, ...]
) -> None:
    result = run("--no-bundled", "--corpus", str(hostile_folder), *args)
    assert result.returncode == 0, result.stderr
    assert_terminal_safe(result.stdout)
    documents = (
        [json.loads(line) for line in result.stdout.splitlines()]
        if "jsonl" in args
        else [json.loads(result.stdout)]
    )
    assert any(
        "\x1b[31mEVIL\x1b[0m\u202eRLO\u2067ISO\x07BEL\x9bC1" in value
        for value in strings(documents)
    )


def strings(data: Any) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield key
            yield from strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from strings(value)


@POSIX
def test_csv_is_exact_data(hostile_folder: Path, tmp_path: Path) -> None:
    piped = run("--no-bundled", "--corpus", str(hostile_folder), "export", "--format", "csv")
    assert piped.returncode == 0
    (row,) = list(__import__("csv").DictReader(io.StringIO(piped.stdout)))
    assert row["title"] == "Title \x1b[31mEVIL\x1b[0m\u202eRLO\u2067ISO\x07BEL\x9bC1"


def on_a_terminal(*args: str) -> str:
    """Run the command with its output on a pseudo-terminal; return what it printed."""
    # No pager: what is checked is what the command writes, not what less does.
    return run_on_terminal(*args, env={"CLIENTOCRACY_PAGER": "cat"})[1]


@POSIX
@pytest.mark.parametrize(
    "args", [("export", "--format", "csv"), ("list",), ("search", "umbrella"), ("nope",)]
)
def test_on_a_terminal_only_our_own_styles_are_escapes(
    hostile_folder: Path, args: tuple[str, ...]
) -> None:
    shown = on_a_terminal("--no-bundled", "--corpus", str(hostile_folder), *args)
    # Our styles are SGR sequences (ESC [ digits m) and nothing else.
    import re

    assert "\\x1b[31mEVIL" in shown or args == ("nope",)
    without_styles = re.sub("\x1b\\[[0-9;]*m", "", shown).replace("\r\n", "\n")
    assert_terminal_safe(without_styles)


@POSIX
@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_a_completion_script_runs_no_data(tmp_path: Path) -> None:
    # Ids and names go into the script the user evals: they must stay words.
    marker = tmp_path / "ran"
    evil = f"x$(touch${{IFS}}{marker})`touch${{IFS}}{marker}`';touch${{IFS}}{marker};'\"\\]:[*?"
    hostile_corpus(evil).save(tmp_path / "corpus")
    script = run("--no-bundled", "--corpus", str(tmp_path / "corpus"), "completion", "bash")
    assert script.returncode == 0, script.stderr
    (tmp_path / "completion.bash").write_text(script.stdout, encoding="utf-8")
    driver = tmp_path / "complete.sh"
    driver.write_text(
        'source "$1"; shift\n'
        'COMP_WORDS=(clientocracy "$@" ""); COMP_CWORD=$(( $# + 1 ))\n'
        'COMP_LINE="${COMP_WORDS[*]}"; COMP_POINT=${#COMP_LINE}\n'
        "_clientocracy; printf '%s\\n' \"${COMPREPLY[@]}\"\n",
        encoding="utf-8",
    )
    for words in (["show"], ["list", "--company"], ["list", "--principle"], ["--language"]):
        completed = subprocess.run(
            ["bash", str(driver), str(tmp_path / "completion.bash"), *words],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert completed.returncode == 0, completed.stderr
        assert "touch" in completed.stdout  # the hostile values were offered, as words
    assert not marker.exists()


def test_zwnj_and_zwj_survive(tmp_path: Path) -> None:
    persian = "می\u200cخواهم\u200dها"
    hostile_corpus(persian).save(tmp_path / "fa")
    ident = hostile_corpus(persian).stories()[0].id
    for args in (("list",), ("show", ident), ("search", "umbrella"), ("principles",)):
        result = run("--no-bundled", "--corpus", str(tmp_path / "fa"), *args)
        assert result.returncode == 0, result.stderr
        assert persian in result.stdout


# Arguments as a hostile user would type them: options, values and commands
# in any order, with terminal payloads, huge numbers and odd Unicode.
words = st.sampled_from(
    [
        "list", "show", "random", "search", "companies", "principles", "languages",
        "export", "validate", "--json", "--company", "--principle", "--language",
        "--limit", "-n", "--seed", "--format", "--corpus", "--no-bundled", "--help",
        "--version", "-o", "json", "csv", "zappos", "Zappos", "fa", "ru", "0", "-1",
        "9223372036854775808", "1e9", "", " ", "\x1b[31m", "\u202e", "\x9b", "\x07",
        "\ud800", "\udcff", "زاپوس", "будильник", '"', "--", "-", "nowhere/",
        "zappos-flowers-for-a-mother", "small-things-matter",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(argv=st.lists(words | st.text(max_size=8), max_size=7))
def test_any_arguments_give_a_status_and_safe_text(argv: list[str]) -> None:
    from clientocracy._cli.app import main

    if "-o" in argv:  # writing files is tested above, not in the working directory
        return
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        status = main(argv)
    assert status in (0, 1, 2)
    assert "Traceback" not in stderr.getvalue()
    assert_terminal_safe(stderr.getvalue())
    machine = "--json" in argv or "export" in argv
    if not machine:
        assert_terminal_safe(stdout.getvalue())


@settings(max_examples=60, deadline=None)
@given(evil=st.text(min_size=1, max_size=10).filter(lambda s: s.strip() and " " not in s))
def test_any_value_in_any_field_is_shown_safely(evil: str) -> None:
    from clientocracy._cli.app import main

    try:
        corpus = hostile_corpus(evil)
    except (ValueError, TypeError):
        return  # a value the records themselves refuse
    saved, corpus_module._bundled = corpus_module._bundled, corpus
    try:
        for args in (
            ["list"],
            ["show", corpus.stories()[0].id],
            ["companies"],
            ["principles"],
            ["languages"],
            ["search", "umbrella"],
        ):
            stdout, stderr = io.StringIO(), io.StringIO()
            with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
                status = main(args)
            assert status in (0, 1, 2), stderr.getvalue()
            assert_terminal_safe(stdout.getvalue() + stderr.getvalue())
    finally:
        corpus_module._bundled = saved


# -- 6. bounded cost of search ---------------------------------------------------


def test_search_limits() -> None:
    from clientocracy._search.analysis import MAX_QUERY_TERMS, MAX_WORD_CHARS

    assert clientocracy.search("zappos", limit=2**63) == clientocracy.search("zappos", limit=None)
    assert clientocracy.search("zappos", limit=10**100)
    (term,) = clientocracy.search_terms("x" * 10_000_000)
    assert term == "x" * MAX_WORD_CHARS
    with pytest.raises(ValueError, match=r"more than"):
        clientocracy.search(" ".join(f"w{i}" for i in range(MAX_QUERY_TERMS + 1)))
    with pytest.raises(ValueError, match="more than"):
        clientocracy.search('"' + " ".join(f"w{i}" for i in range(170_000)) + '"')
    # Repeats are one term: the limit counts what the query asks.
    assert clientocracy.search("alarm " * 2_000)


def test_a_giant_word_is_indexed_by_its_start_and_highlighted_cheaply() -> None:
    giant = "z" * 5_000_000
    corpus = hostile_corpus("evil", tail=f" {giant} umbrella")
    (hit,) = corpus.search(giant)
    assert hit.story == corpus.stories()[0]
    assert len(hit.snippet.text) < 1_000
    assert corpus.search("zzzz*")  # the prefix of a word cut to its start
