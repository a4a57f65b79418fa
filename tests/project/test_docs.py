"""Every code example in the README and the docs runs, so the docs cannot drift.

``pycon`` examples run as doctests (see ``[tool.pytest.ini_options]``); this
module runs the rest: the tutorial of ``docs/your-own-corpus.md`` (its
``bash`` blocks, as one script), ``python`` blocks, and the ``clientocracy``
commands of ``sh`` blocks, in a folder holding the corpus the tutorial
builds. ``py`` blocks are shown, not run: they need what the test extra does
not install (Spark, Dask, datasets).
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import clientocracy

ROOT = Path(__file__).resolve().parents[2]
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
    where: str,
    code: str,
    workspace: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(workspace)
    namespace: dict[str, Any] = {"__name__": "__docs__"}
    checked = 0
    # Statement by statement, so that what each one shows can be checked:
    # an example whose query finds nothing, or that prints nothing, shows
    # nothing of what the page says it does.
    for statement in ast.parse(code).body:
        module = ast.Module(body=[statement], type_ignores=[])
        if isinstance(statement, ast.Expr) and not _is_output_call(statement.value):
            value = eval(compile(ast.Expression(statement.value), where, "eval"), namespace)
            assert _shows_something(value), f"{where}: {ast.unparse(statement)} gives {value!r}"
            checked += 1
            continue
        exec(compile(module, where, "exec"), namespace)
        if isinstance(statement, ast.Assign):
            for target in statement.targets:
                if isinstance(target, ast.Name):
                    value = namespace[target.id]
                    assert _shows_something(value), f"{where}: {target.id} is {value!r}"
                    checked += 1
    printed = capsys.readouterr().out
    if "print(" in code or ".show()" in code:
        assert printed.strip(), f"{where}: the example prints nothing"
        checked += 1
    for written in re.findall(r"[\"']([\w-]+\.(?:parquet|sqlite))[\"']", code):
        assert (workspace / written).is_file(), f"{where}: {written} was not written"
        checked += 1
    assert checked or code.strip().startswith("import"), f"{where}: nothing to check"


def _is_output_call(node: ast.expr) -> bool:
    """A call whose effect is what it writes (print, .show()), not what it returns."""
    if not isinstance(node, ast.Call):
        return False
    name = ast.unparse(node.func)
    return name == "print" or name.endswith((".show", ".write_parquet", ".write_hf_dataset"))


def _shows_something(value: object) -> bool:
    """Whether an example's value has something in it: no empty result, no None."""
    if value is None:
        return False
    if isinstance(value, str | bytes | int | float | Path):
        return True
    try:
        return len(value) > 0  # type: ignore[arg-type]
    except TypeError:
        return True


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
    # 141: `| head` closes the pipe early, which the command reports so; no
    # other example may fail, or stop with a status that says it did.
    expected = (0, 141) if "| head" in command else (0,)
    assert result.returncode in expected, f"{where}: {command}\n{result.stderr}"
    assert "Traceback" not in result.stderr
