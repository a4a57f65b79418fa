"""Every code example in the README and the docs runs, so the docs cannot drift.

``pycon`` examples run as doctests (see ``[tool.pytest.ini_options]``); this
module runs the rest: the tutorial of ``docs/your-own-corpus.md`` (its
``bash`` blocks, as one script), ``python`` blocks, and the ``clientocracy``
commands of ``sh`` blocks, in a folder holding the corpus the tutorial
builds. ``py`` blocks are shown, not run: they need what the test extra does
not install (Spark, Dask, datasets).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import clientocracy

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```(\w+)\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def blocks(language: str) -> list[tuple[str, str]]:
    found = []
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        for match in FENCE.finditer(text):
            if match.group(1) == language:
                line = text.count("\n", 0, match.start()) + 1
                found.append((f"{page.relative_to(ROOT)}:{line}", match.group(2)))
    return found


def run_tutorial(folder: Path) -> subprocess.CompletedProcess[str]:
    """Run the ``bash`` blocks of ``docs/your-own-corpus.md``, in order, in *folder*."""
    guide = (ROOT / "docs" / "your-own-corpus.md").read_text(encoding="utf-8")
    script = "\n".join(body for lang, body in FENCE.findall(guide) if lang == "bash")
    scripts = str(Path(sys.executable).parent)
    return subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=folder,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PATH": scripts + os.pathsep + os.environ["PATH"], "HOME": str(folder)},
        timeout=300,
    )


@pytest.fixture(scope="session")
def tutorial(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder in which the guide's tutorial was followed, once for the session."""
    folder = tmp_path_factory.mktemp("tutorial")
    result = run_tutorial(folder)
    assert result.returncode == 0, result.stderr
    return folder


@pytest.fixture
def workspace(tmp_path: Path, tutorial: Path) -> Path:
    """A folder with ``my-stories/``, the corpus the guide's tutorial builds."""
    shutil.copytree(tutorial / "my-stories", tmp_path / "my-stories")
    # docs/elsewhere.md reads the file its first command writes.
    clientocracy.write_parquet(clientocracy.stories(), tmp_path / "stories.parquet")
    return tmp_path


def test_the_examples_are_found() -> None:
    assert len(blocks("python")) >= 2
    assert len(commands()) >= 10


@pytest.mark.parametrize(("where", "code"), blocks("python"))
def test_python_examples_run(
    where: str, code: str, workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(workspace)
    exec(compile(code, where, "exec"), {"__name__": "__docs__"})


def commands() -> list[tuple[str, str]]:
    """Each ``clientocracy`` line of an ``sh`` block, after the block's ``mkdir`` lines."""
    found = []
    for where, code in blocks("sh"):
        setup = [line for line in code.splitlines() if line.startswith("mkdir ")]
        found += [
            (where, " && ".join([*setup, line]))
            for line in code.splitlines()
            if line.startswith("clientocracy ")
        ]
    return found


@pytest.mark.parametrize(("where", "command"), commands())
def test_command_examples_run(where: str, command: str, workspace: Path) -> None:
    scripts = str(Path(sys.executable).parent)
    result = subprocess.run(
        ["bash", "-o", "pipefail", "-c", command],
        cwd=workspace,
        capture_output=True,
        text=True,
        encoding="utf-8",
        # A home of its own: examples that install files (completion, the
        # manual page) must not touch the real one.
        env={
            **os.environ,
            "PATH": scripts + os.pathsep + os.environ["PATH"],
            "HOME": str(workspace),
        },
        timeout=60,
    )
    # 141: `| head -1` closes the pipe early, which the command reports so.
    assert result.returncode in (0, 141), f"{where}: {command}\n{result.stderr}"
    assert "Traceback" not in result.stderr
