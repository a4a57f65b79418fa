"""The package as users get it: a built wheel, installed fresh or imported from a zip."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

QUERY = """
import sys
import clientocracy
assert "clientocracy._catalog.loading" not in sys.modules, "import clientocracy must not load data"
assert "json" not in sys.modules, "import clientocracy must not import json"
story = clientocracy.stories(company="زاپوس", language="Farsi")[0]
assert story.text == story.source.text[story.span.start:story.span.end]
assert len(clientocracy.stories()) == 10
(hit,) = clientocracy.search("будильники")
assert hit.story.id == "gaylord-opryland-alarm-clocks", hit
from clientocracy._export.arrow import _dataset_card
assert _dataset_card().startswith("# Dataset card"), "the wheel must ship the dataset card"
assert "pyarrow" not in sys.modules, "import clientocracy must not import pyarrow"
print(clientocracy.__file__)
print(story.id)
"""


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
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
    assert not any(name.startswith("tests/") for name in names)
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
