"""The names a catalog gives its files, and the links among them: inside the folder or refused.

The race-free reading itself (files swapped while a corpus loads) is tested
in test_security.py; here each rule is tested on its own, deterministically.
"""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import pytest

import clientocracy

from ..helpers import TEXT, problems_of, sha, user_catalog, write_corpus

POSIX = pytest.mark.skipif(os.name != "posix", reason="symbolic links and POSIX paths")
SECRET = "the secret that lives outside the corpus folder\n"


def corpus_naming(tmp_path: Path, file: str) -> Path:
    """A corpus whose one source is the file *file*, with a secret beside the folder."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "secret.txt").write_text(SECRET, encoding="utf-8")
    catalog = user_catalog()
    catalog["sources"][0]["file"] = file
    return write_corpus(tmp_path / "corpus", catalog)


@pytest.mark.parametrize(
    "name",
    ["../secret.txt", "texts/../../secret.txt", "texts/x/../../../secret.txt", "./../secret.txt"],
)
def test_a_name_with_dot_dot_anywhere_is_refused(tmp_path: Path, name: str) -> None:
    (problem,) = problems_of(corpus_naming(tmp_path, name))
    assert problem.endswith(f"{name}: '..' leaves the corpus folder; keep files inside it")


@pytest.mark.parametrize("name", ["/etc/passwd", "\\\\server\\share\\x.txt", "C:/x.txt"])
def test_an_absolute_name_is_refused(tmp_path: Path, name: str) -> None:
    (problem,) = problems_of(corpus_naming(tmp_path, name))
    assert "an absolute path; name files relative to the corpus folder" in problem


@POSIX
@pytest.mark.parametrize("target", ["../../secret.txt", "../../corpus/../secret.txt", "../.."])
def test_a_relative_link_that_climbs_out_is_refused(tmp_path: Path, target: str) -> None:
    folder = corpus_naming(tmp_path, "texts/acme.txt")
    (folder / "texts" / "acme.txt").unlink()
    (folder / "texts" / "acme.txt").symlink_to(target)
    problems = problems_of(folder)
    assert any("acme.txt: a link that points outside the corpus folder" in p for p in problems), (
        problems
    )
    assert not any(SECRET.strip() in p for p in problems)


@POSIX
def test_a_relative_link_that_climbs_and_comes_back_is_inside(tmp_path: Path) -> None:
    folder = corpus_naming(tmp_path, "texts/acme.txt")
    (folder / "other").mkdir()
    (folder / "other" / "real.txt").write_text(TEXT, encoding="utf-8")
    (folder / "texts" / "acme.txt").unlink()
    (folder / "texts" / "acme.txt").symlink_to("../other/real.txt")
    assert clientocracy.load(folder).story("acme-umbrella").source.text == TEXT


def chain(folder: Path, links: int) -> None:
    """texts/acme.txt → l1 → l2 … → real.txt: *links* links in a row."""
    (folder / "real.txt").write_text(TEXT, encoding="utf-8")
    (folder / "texts" / "acme.txt").unlink()
    names = ["texts/acme.txt", *(f"l{n}" for n in range(1, links)), "real.txt"]
    for here, there in itertools.pairwise(names):
        (folder / here).symlink_to(os.path.relpath(folder / there, (folder / here).parent))


@POSIX
def test_forty_links_in_a_row_are_followed_and_forty_one_are_not(tmp_path: Path) -> None:
    # As many as the Linux kernel follows in one lookup.
    folder = corpus_naming(tmp_path / "forty", "texts/acme.txt")
    chain(folder, 40)
    assert clientocracy.load(folder).story("acme-umbrella").source.text == TEXT
    folder = corpus_naming(tmp_path / "forty-one", "texts/acme.txt")
    chain(folder, 41)
    assert any("too many links in a row" in p for p in problems_of(folder))


@POSIX
def test_a_link_to_a_folder_inside_is_followed(tmp_path: Path) -> None:
    folder = corpus_naming(tmp_path, "shelf/acme.txt")
    (folder / "shelf").symlink_to("texts")
    assert clientocracy.load(folder).story("acme-umbrella").source.text == TEXT


def test_a_text_named_twice_is_read_twice_and_counted_twice(tmp_path: Path) -> None:
    catalog = user_catalog()
    second = {**catalog["sources"][0], "id": "acme-blog-2", "sha256": sha(TEXT)}
    catalog["sources"].append(second)
    corpus = clientocracy.load(write_corpus(tmp_path / "c", catalog))
    assert [s.text for s in corpus.sources() if s.id.startswith("acme")] == [TEXT, TEXT]


@pytest.mark.skipif(not hasattr(os, "O_NOFOLLOW"), reason="needs folders opened relative to others")
@pytest.mark.parametrize("how", ["write", "move"])
def test_no_folder_on_the_way_to_a_nested_file_is_followed(tmp_path: Path, how: str) -> None:
    from clientocracy._io.files import move_into, write_into

    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "fa").mkdir(parents=True)
    folder = tmp_path / "repo"
    folder.mkdir()
    (folder / "data").symlink_to(elsewhere, target_is_directory=True)
    source = tmp_path / "shard"
    source.write_bytes(b"rows")

    def place() -> None:
        if how == "write":
            write_into(str(folder), {"data/fa/shard.parquet": b"rows"})
        else:
            move_into(str(folder), {"data/fa/shard.parquet": str(source)})

    with pytest.raises(NotADirectoryError):
        place()
    assert list((elsewhere / "fa").iterdir()) == []
