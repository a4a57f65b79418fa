"""The package as users get it: a built wheel, installed fresh or imported from a zip."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

QUERY = """
import sys
import clientocracy
assert "clientocracy._catalog.loading" not in sys.modules, "import clientocracy must not load data"
assert "json" not in sys.modules, "import clientocracy must not import json"
story = clientocracy.stories(company="زاپوس", language="Farsi")[0]
assert story.text == story.source.text[story.span.start:story.span.end]
assert len(clientocracy.stories()) == 10
import clientocracy._search.index as index
def building(*args):
    raise AssertionError("the bundled search index was built, not read from the package")
index.fill_index = building
(hit,) = clientocracy.search("будильники")
assert hit.story.id == "gaylord-opryland-alarm-clocks", hit
from clientocracy._export.hub import _dataset_card
assert _dataset_card().startswith("# Dataset card"), "the wheel must ship the dataset card"
assert "pyarrow" not in sys.modules, "import clientocracy must not import pyarrow"
assert clientocracy.UnknownValueError.__module__ == "clientocracy"
print(clientocracy.__file__)
print(story.id)
"""


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # CI passes the wheel it built from the sdist, the release artefact itself.
    given = os.environ.get("CLIENTOCRACY_WHEEL")
    if given:
        return Path(given)
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--quiet",
            "--wheel-dir",
            str(out),
            str(ROOT),
        ],
        check=True,
        timeout=600,
    )
    (built,) = out.glob("clientocracy-*.whl")
    return built


def test_wheel_carries_the_data_and_the_type_marker(wheel: Path) -> None:
    import zipfile

    names = set(zipfile.ZipFile(wheel).namelist())
    assert "clientocracy/py.typed" in names
    assert "clientocracy/data/catalog.json" in names
    assert "clientocracy/data/texts/000_dc1afdb775c16d28.txt" in names
    assert "clientocracy/data/texts/003_374cabf50464a2fb.txt" in names
    assert "clientocracy/data/search-index.sqlite" in names
    assert "clientocracy/data/catalog.checked" in names
    assert not any(name.startswith("tests/") for name in names)
    # Every licence the package's expression names ships with its text.
    (metadata,) = [n for n in names if n.endswith(".dist-info/METADATA")]
    fields = zipfile.ZipFile(wheel).read(metadata).decode("utf-8").split("\n\n", 1)[0]
    (expression,) = re.findall(r"^License-Expression: (.+)$", fields, re.M)
    shipped = {
        Path(n).stem for n in names if re.search(r"\.dist-info/licenses/LICENSES/[^/]+\.txt$", n)
    }
    assert set(expression.split(" AND ")) == shipped
    assert "LicenseRef-clientocracy-source-texts" in shipped
    # The interface's compiled catalogs, as they are in the source tree.
    for language in ("ru", "fa"):
        catalog = f"clientocracy/locale/{language}/LC_MESSAGES/clientocracy.mo"
        assert catalog in names
        assert zipfile.ZipFile(wheel).read(catalog) == (ROOT / "src" / catalog).read_bytes()
    # The card of a Hugging Face folder is the docs page, shipped as it is.
    card = zipfile.ZipFile(wheel).read("clientocracy/data/dataset-card.md")
    assert card == (ROOT / "docs" / "dataset-card.md").read_bytes()


def test_import_from_the_wheel_as_a_zip(wheel: Path) -> None:
    code = f"import sys; sys.path.insert(0, {str(wheel)!r})\n" + QUERY
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8", timeout=120
    )
    assert result.returncode == 0, result.stderr
    where, story_id = result.stdout.split()
    assert where.startswith(str(wheel)), "the package was not imported from the zip"
    assert story_id == "zappos-flowers-for-a-mother"


def test_the_interface_speaks_russian_and_persian_from_the_zipped_wheel(wheel: Path) -> None:
    code = (
        f"import sys; sys.path.insert(0, {str(wheel)!r})\n"
        "from clientocracy._cli.app import main\n"
        "import clientocracy\n"
        "assert clientocracy.__file__.startswith(sys.path[0])\n"
        "raise SystemExit(main(['--help']))\n"
    )
    clean = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    for lang, words in (("ru_RU.UTF-8", "использование:"), ("fa_IR.UTF-8", "کاربرد:")):
        result = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            encoding="utf-8",
            env={**clean, "LANG": lang, "PYTHONIOENCODING": "utf-8"},
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith(words)


def test_install_the_wheel_in_a_fresh_venv(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(wheel)],
        check=True,
        timeout=600,
    )
    # Run from an empty folder so the source tree cannot be picked up.
    result = subprocess.run(
        [str(python), "-I", "-c", QUERY],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=tmp_path,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    where, story_id = result.stdout.split()
    assert Path(where).is_relative_to(env_dir)
    assert story_id == "zappos-flowers-for-a-mother"

    script = env_dir / ("Scripts/clientocracy.exe" if os.name == "nt" else "bin/clientocracy")
    shown = subprocess.run(
        [str(script), "show", story_id],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=tmp_path,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        timeout=120,
    )
    assert shown.returncode == 0, shown.stderr
    assert "دسته گل" in shown.stdout

    found = subprocess.run(
        [str(script), "search", "مشتري", "--json"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=tmp_path,
        timeout=120,
    )
    assert found.returncode == 0, found.stderr
    assert story_id in found.stdout


def test_the_corpus_tutorial_runs_from_the_installed_wheel(wheel: Path, tmp_path: Path) -> None:
    """The authoring commands, the segmenter of the `author` extra included, as a user gets them."""
    import re

    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         f"{wheel}[author]"],
        check=True,
    )  # fmt: skip
    guide = (ROOT / "docs" / "your-own-corpus.md").read_text(encoding="utf-8")
    fence = re.compile(r"^```(\w+)\n(.*?)^```$", re.MULTILINE | re.DOTALL)
    script = "\n".join(body for lang, body in fence.findall(guide) if lang == "bash")
    work = tmp_path / "work"
    work.mkdir()
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=work,
        env={**os.environ, "PATH": str(python.parent) + os.pathsep + os.environ["PATH"]},
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    assert "my-stories: valid." in result.stdout
    assert (work / "stories.sqlite").is_file()
