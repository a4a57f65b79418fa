"""Export output as a shell user meets it: file modes, links and devices.

The command is run as users run it, through the installed entry point.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from .. import helpers
from ..helpers import shell

POSIX = pytest.mark.skipif(os.name != "posix", reason="POSIX file system semantics")


def run(*args: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return helpers.run(*args, errors="surrogateescape", **kwargs)


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
