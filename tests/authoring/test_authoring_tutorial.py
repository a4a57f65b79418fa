"""The guide's tutorial, followed as a new user would: the installed command, a fresh folder."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import clientocracy

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "your-own-corpus.md"
FENCE = re.compile(r"^```(\w+)\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def blocks(language: str) -> list[str]:
    return [
        body for lang, body in FENCE.findall(GUIDE.read_text(encoding="utf-8")) if lang == language
    ]


@pytest.fixture(scope="module")
def followed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("tutorial")
    scripts = str(Path(sys.executable).parent)
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", "\n".join(blocks("bash"))],
        cwd=folder,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PATH": scripts + os.pathsep + os.environ["PATH"], "HOME": str(folder)},
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return folder


def test_the_tutorial_counts_no_offsets_and_no_hashes() -> None:
    script = "\n".join(blocks("bash"))
    assert "clientocracy build" in script
    for word in ("start", "end", "sha256", "offset"):
        assert not re.search(rf"--{word}\b|\"{word}\"", script), word


def test_the_tutorial_builds_a_valid_corpus_of_two_stories(followed: Path) -> None:
    corpus = clientocracy.load(followed / "my-stories")
    assert corpus.stories().ids() == ("acme-umbrella", "acme-glove")
    principle = corpus.principle("Keep what is lost")
    assert principle.statement.text == (
        "We keep everything a customer leaves behind until its owner comes back for it."
    )
    glove = corpus.story("acme-glove")
    assert glove.text.startswith("A boy lost one of his gloves")
    assert [p.id for p in glove.principles] == ["keep-what-is-lost", "small-things-matter"]
    umbrella = corpus.story("acme-umbrella")
    (german,) = umbrella.translations
    assert german.language == corpus.language("German")
    assert [s.original for s in german.segments] == [
        "One rainy evening a customer left her umbrella by the till.",
        "We found her address on the receipt and drove the umbrella to her house.",
    ]
    assert german.segments[1].text == (
        "Ihre Adresse stand auf dem Kassenbon. Wir fuhren den Schirm zu ihr nach Hause."
    )
    # The text was edited and repaired at the end: the corpus still loads,
    # with the edit.
    assert umbrella.source.text.startswith("Notes from the Acme shop in Leeds")


def test_the_tutorial_compiles_and_imports(followed: Path) -> None:
    compiled = clientocracy.load(followed / "stories.sqlite")
    assert "acme-umbrella" in compiled.stories().ids()
    sheet = clientocracy.load(followed / "sheet-stories")
    (story,) = sheet.stories()
    assert story.text == (
        "A parcel for a customer went to the wrong town. Our driver fetched it the same night."
    )


def test_the_reference_example_is_a_catalog_of_the_tutorial_s_text(tmp_path: Path) -> None:
    (text,) = [b for b in blocks("bash") if b.startswith("cat > acme-blog.txt")]
    text = text.split("<<'EOF'\n", 1)[1].rsplit("EOF\n", 1)[0]
    (example,) = blocks("json")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    catalog = json.loads(example.replace("<SHA-256 of the text as UTF-8>", digest))
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / "acme-blog.txt").write_text(text, encoding="utf-8")
    (tmp_path / "catalog.json").write_text(json.dumps(catalog), encoding="utf-8")
    corpus = clientocracy.load(tmp_path)
    assert corpus.story("acme-umbrella").translations[0].language.native_name == "Deutsch"
