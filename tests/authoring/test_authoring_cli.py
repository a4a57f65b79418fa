"""The authoring commands as a terminal user meets them: messages, status, nothing half-done."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import clientocracy

SCRIPT = shutil.which("clientocracy", path=str(Path(sys.executable).parent))
if SCRIPT is None:  # pragma: no cover - the test extra installs the package
    pytest.fail("the clientocracy console script is not installed beside this Python")

TEXT = (
    "Покупательница забыла зонт в магазине. Мы отвезли зонт к ней домой.\n\n"
    "Покупатель потерял перчатку. Покупатель вернулся за ней в пятницу.\n"
)


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    assert SCRIPT is not None
    return subprocess.run(
        [SCRIPT, *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONIOENCODING": "utf-8", "COLUMNS": "100"},
        cwd=cwd,
        timeout=60,
    )


def ok(*args: str, cwd: Path) -> str:
    result = run(*args, cwd=cwd)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A corpus with a Russian source and a company, to add stories to."""
    folder = tmp_path_factory.mktemp("cli")
    (folder / "shop.txt").write_text(TEXT, encoding="utf-8")
    ok("new", "corpus", cwd=folder)
    ok("add-company", "corpus", "shop", "--name", "Магазин", "--industry", "retail",
       "--country", "RU", cwd=folder)  # fmt: skip
    ok("add-source", "corpus", "shop.txt", "--language", "Russian", "--title", "ru", "Магазин",
       "--title", "en", "The shop", "--origin", "Written for the tests.", cwd=folder)  # fmt: skip
    return folder


def fresh(corpus: Path, tmp_path: Path) -> Path:
    shutil.copytree(corpus, tmp_path, dirs_exist_ok=True)
    return tmp_path


def add_story(cwd: Path, *words: str) -> subprocess.CompletedProcess[str]:
    return run(
        "add-story", "corpus", "umbrella", "--source", "shop", *words, "--company", "Магазин",
        "--principle", "мелочи важны", "--title", "ru", "Зонт", "--title", "en", "The umbrella",
        "--summary", "en", "A shop took an umbrella home.", cwd=cwd,
    )  # fmt: skip


def test_an_ambiguous_quotation_is_refused_with_its_places(corpus: Path, tmp_path: Path) -> None:
    folder = fresh(corpus, tmp_path)
    before = (folder / "corpus" / "catalog.json").read_bytes()
    result = add_story(folder, "--begins", "Покупатель", "--ends", ".")
    assert result.returncode == 2
    assert "a passage from 'Покупатель' to '.' occurs 3 times" in result.stderr
    assert "line 1, column 1" in result.stderr
    assert "line 3, column 1" in result.stderr
    assert "Traceback" not in result.stderr
    assert (folder / "corpus" / "catalog.json").read_bytes() == before


def test_an_absent_quotation_says_what_the_text_has(corpus: Path, tmp_path: Path) -> None:
    folder = fresh(corpus, tmp_path)
    result = add_story(folder, "--quote", "Мы отвезли зонт к ней на работу.")
    assert result.returncode == 2
    assert "its start 'Мы отвезли зонт к ней' is, at line 1, column 40" in result.stderr


def test_a_story_and_a_translation_by_quoting(corpus: Path, tmp_path: Path) -> None:
    folder = fresh(corpus, tmp_path)
    added = add_story(folder, "--begins", "Покупательница", "--ends", "домой.")
    assert added.returncode == 0, added.stderr
    out = added.stdout
    assert "added the story 'umbrella': [0, 67) of 'shop'" in out
    (folder / "fa.txt").write_text(
        "مشتری چترش را در فروشگاه جا گذاشت و ما آن را به خانه‌اش بردیم.", encoding="utf-8"
    )
    translation = ("add-translation", "corpus", "umbrella", "fa.txt", "--language", "Persian",
                   "--translator", "Tests", "--title", "چتر",
                   "--summary", "چتر برگشت.")  # fmt: skip
    refused = run(*translation, cwd=folder)
    assert refused.returncode == 2
    assert "the passage has 2 sentences and the translation 1" in refused.stderr
    assert "clientocracy align" in refused.stderr
    sheet = ok("align", "corpus", "umbrella", "fa.txt", "--language", "fa", cwd=folder)
    # One Persian sentence renders both Russian ones: merge the pairs.
    merged = sheet.replace("\n\n< Мы", "\n< Мы")
    (folder / "pairs.txt").write_text(merged, encoding="utf-8")
    out = ok(*translation[:3], "pairs.txt", *translation[4:], "--pairs", cwd=folder)
    assert "added the translation of 'umbrella'" in out
    story = clientocracy.load(folder / "corpus").story("umbrella")
    assert story.translations[0].segments[0].original == story.text


def test_repair_reports_what_moved(corpus: Path, tmp_path: Path) -> None:
    folder = fresh(corpus, tmp_path)
    assert add_story(folder, "--begins", "Покупательница", "--ends", "домой.").returncode == 0
    text = folder / "corpus" / "texts" / "shop.txt"
    text.write_text("Вчера.\n" + TEXT, encoding="utf-8")
    dry = ok("repair", "corpus", "--dry-run", cwd=folder)
    assert "story 'umbrella': span: [0, 67) → [7, 74)" in dry
    assert "nothing written" in dry
    with pytest.raises(clientocracy.CorpusError):
        clientocracy.load(folder / "corpus")
    repaired = ok("repair", "corpus", cwd=folder)
    # No compiled file beside it: the user is reminded of any built elsewhere.
    assert "any compiled file built from corpus ('clientocracy build') is now out of" in repaired
    assert clientocracy.load(folder / "corpus").story("umbrella").text.startswith("Покупательница")


def test_repair_names_a_compiled_file_it_leaves_out_of_date(corpus: Path, tmp_path: Path) -> None:
    folder = fresh(corpus, tmp_path)
    assert add_story(folder, "--begins", "Покупательница", "--ends", "домой.").returncode == 0
    ok("build", "corpus", "-o", "stories.sqlite", cwd=folder)
    text = folder / "corpus" / "texts" / "shop.txt"
    text.write_text("Вчера.\n" + TEXT, encoding="utf-8")
    dry = ok("repair", "corpus", "--dry-run", cwd=folder)
    stale = f"{folder / 'stories.sqlite'}: built from corpus"
    assert f"{stale}, would be out of date; build it again with 'clientocracy build'" in dry
    out = ok("repair", "corpus", cwd=folder)
    assert f"{stale}, is now out of date; build it again with 'clientocracy build'" in out
    assert "any compiled file" not in out


def test_import_csv_reports_rows_and_columns(tmp_path: Path) -> None:
    (tmp_path / "stories.csv").write_text(
        "company,title,text,principles,language\n"
        "Zappos,Цветы,Текст.,no red tape,ru\n"
        "Nobody,Ничего,Текст.,no red tape,ru\n",
        encoding="utf-8",
    )
    result = run("import-csv", "stories.csv", "imported", cwd=tmp_path)
    assert result.returncode == 2
    assert "stories.csv: row 3, column 'company': no company is named 'Nobody'" in result.stderr
    assert not (tmp_path / "imported").exists()


def test_new_refuses_a_folder_in_use(tmp_path: Path) -> None:
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "notes.txt").write_text("x", encoding="utf-8")
    result = run("new", "corpus", cwd=tmp_path)
    assert result.returncode == 2
    assert "not an empty folder" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_missing_or_undecodable_file_is_named(corpus: Path, tmp_path: Path) -> None:
    folder = fresh(corpus, tmp_path)
    result = run("add-source", "corpus", "nope.txt", "--language", "en", "--title", "en", "X",
                 "--origin", "X", cwd=folder)  # fmt: skip
    assert result.returncode == 2
    assert "nope.txt" in result.stderr
    (folder / "latin1.txt").write_bytes("café".encode("latin-1"))
    result = run("add-source", "corpus", "latin1.txt", "--language", "en", "--title", "en", "X",
                 "--origin", "X", cwd=folder)  # fmt: skip
    assert result.returncode == 2
    assert "latin1.txt: byte 3: not valid UTF-8" in result.stderr
