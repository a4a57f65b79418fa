"""Hostile corpus folders: files that change, turn into links or pipes while they load.

Each class of attack has a test that would fail if the defence were taken
away; the command is run as users run it, through the installed entry point,
wherever it is involved.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import clientocracy
from clientocracy import (
    Corpus,
    CorpusError,
)

from .. import helpers
from ..helpers import (
    TEXT,
    give_up_after,
    problems_of,
    sha,
    user_catalog,
    write_corpus,
)

POSIX = pytest.mark.skipif(os.name != "posix", reason="POSIX file system semantics")
ROOT = hasattr(os, "geteuid") and os.geteuid() == 0

SECRET = "root:x:0:0:the secret that lives outside the corpus folder\n"


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
