"""What a new user meets first: the command alone, help, hints, random picks from Python."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import clientocracy
from clientocracy import Corpus
from clientocracy._errors import install_command

SCRIPT = shutil.which("clientocracy", path=str(Path(sys.executable).parent))
assert SCRIPT is not None
COMMANDS = [
    *("list", "search", "show", "random", "companies", "principles", "languages"),
    *("export", "validate", "build", "completion", "man", "help"),
]


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "PYTHONIOENCODING": "utf-8", "COLUMNS": "80", **(env or {})}
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        if name not in (env or {}):
            full_env.pop(name, None)
    return subprocess.run(
        [SCRIPT, *args], capture_output=True, text=True, encoding="utf-8", env=full_env, timeout=60
    )


# -- the command alone, and help --------------------------------------------------


def test_the_command_alone_prints_the_commands_and_an_example() -> None:
    result = run()
    assert result.returncode == 2
    assert "error" not in result.stdout + result.stderr
    listed = [line.split()[0] for line in result.stdout.splitlines() if line.startswith("  ")]
    assert [word for word in listed if word in COMMANDS] == COMMANDS
    assert "clientocracy show " in result.stdout
    assert "clientocracy help COMMAND" in result.stdout


@pytest.mark.parametrize("command", [c for c in COMMANDS if c != "help"])
def test_help_command_is_the_commands_own_help(command: str) -> None:
    result = run("help", command)
    assert result.returncode == 0, result.stderr
    assert result.stdout == run(command, "--help").stdout
    assert result.stdout.startswith(f"usage: clientocracy {command}")


def test_help_alone_is_the_programs_help_and_an_unknown_command_is_named() -> None:
    assert run("help").stdout == run("--help").stdout
    wrong = run("help", "shwo")
    assert wrong.returncode == 2
    assert "'shwo'" in wrong.stderr
    assert "Did you mean 'show'?" in wrong.stderr
    assert "Traceback" not in wrong.stderr


# -- hints -------------------------------------------------------------------------


def test_languages_says_why_english_counts_no_stories() -> None:
    result = run("languages")
    assert result.returncode == 0
    english = next(line for line in result.stdout.splitlines() if line.startswith("en "))
    assert english.split()[-1] == "0"
    translated = sum(
        any(t.language.id == "en" for t in story.translations) for story in clientocracy.stories()
    )
    text = " ".join(result.stdout.split())
    assert f"No story is told in English, but {translated} stories are translated" in text
    assert "--in en" in text
    # JSON stays data only.
    assert json.loads(run("languages", "--json").stdout)


def test_list_language_en_points_to_in_en() -> None:
    result = run("list", "--language", "en")
    assert result.returncode == 1
    assert "no story matches --language en" in result.stderr
    assert "use --in en" in result.stderr
    plain = run("list", "--language", "ru", "--company", "Nordstrom")
    assert "--in" not in plain.stderr


# -- the install hint --------------------------------------------------------------


class FakeDistribution:
    def __init__(self, direct_url: dict[str, object] | None) -> None:
        self.direct_url = direct_url

    def read_text(self, name: str) -> str | None:
        assert name == "direct_url.json"
        return None if self.direct_url is None else json.dumps(self.direct_url)


@pytest.mark.parametrize(
    ("direct_url", "expected"),
    [
        (None, "pip install 'clientocracy[parquet]'"),
        (
            {"url": "file:///home/me/clientocracy", "dir_info": {"editable": True}},
            "pip install -e '/home/me/clientocracy[parquet]'",
        ),
        (
            {"url": "file:///home/me/my%20code/clientocracy", "dir_info": {}},
            "pip install '/home/me/my code/clientocracy[parquet]'",
        ),
        (
            {"url": "file:///tmp/clientocracy-0.1-py3-none-any.whl", "archive_info": {}},
            "pip install '/tmp/clientocracy-0.1-py3-none-any.whl[parquet]'",
        ),
        (
            {"url": "https://example.org/clientocracy.git", "vcs_info": {"vcs": "git"}},
            "pip install 'clientocracy[parquet] @ git+https://example.org/clientocracy.git'",
        ),
        ({"broken": True}, "pip install 'clientocracy[parquet]'"),
    ],
)
def test_the_install_hint_follows_how_the_package_was_installed(
    monkeypatch: pytest.MonkeyPatch, direct_url: dict[str, object] | None, expected: str
) -> None:
    monkeypatch.setattr(metadata, "distribution", lambda name: FakeDistribution(direct_url))
    assert install_command("parquet") == expected


def test_the_install_hint_of_this_installation_names_its_checkout() -> None:
    recorded = metadata.distribution("clientocracy").read_text("direct_url.json")
    hint = install_command("bidi")
    if recorded is None:
        assert hint == "pip install 'clientocracy[bidi]'"
    else:
        assert json.loads(recorded)["url"].removeprefix("file://") in hint


# -- messages that read right --------------------------------------------------------


def test_corpus_repr_counts_in_the_singular_and_plural() -> None:
    one = Corpus.bundled().stories(company="Nordstrom")[0]
    assert one.id == "nordstrom-lost-diamond-ring"
    text = repr(Corpus.bundled())
    assert text.startswith("<Corpus: 10 stories, 8 companies")
    collection = clientocracy.stories(company="Nordstrom")
    assert repr(collection).startswith("<StoryCollection of 1 story: [")


# -- random and sample in Python ---------------------------------------------------


@given(st.integers(min_value=-(10**6), max_value=10**6))
def test_random_with_a_seed_is_what_the_command_shows(seed: int) -> None:
    story = clientocracy.random(language="ru", seed=seed)
    assert story.language.id == "ru"
    assert story == clientocracy.random(language="Russian", seed=seed)
    assert story == Corpus.bundled().stories(language="ru").random(seed=seed)


@pytest.mark.parametrize("seed", [0, 7, 2026])
def test_the_api_and_the_cli_pick_the_same_story(seed: int) -> None:
    shown = json.loads(run("random", "--language", "fa", "--seed", str(seed), "--json").stdout)
    assert shown["id"] == clientocracy.random(language="fa", seed=seed).id


@given(st.integers(min_value=0, max_value=10), st.integers())
def test_sample_picks_distinct_stories_reproducibly(k: int, seed: int) -> None:
    picked = clientocracy.sample(k, seed=seed)
    assert len(picked) == k
    assert len(set(picked.ids())) == k
    assert set(picked.ids()) <= set(clientocracy.stories().ids())
    assert picked == clientocracy.sample(k, seed=seed)


def test_random_and_sample_refuse_what_cannot_be_picked() -> None:
    with pytest.raises(ValueError, match="no story to pick"):
        clientocracy.random(language="en")
    with pytest.raises(ValueError, match="cannot pick 11 stories from a collection of 10"):
        clientocracy.sample(11)
    with pytest.raises(ValueError, match="cannot pick -1"):
        clientocracy.sample(-1)
    with pytest.raises(TypeError, match="seed="):
        clientocracy.random(seed=1.5)  # type: ignore[arg-type]
    with pytest.raises(clientocracy.UnknownValueError):
        clientocracy.random(company="Nobody")


def test_a_stale_file_is_reported_once_and_a_clash_names_two_places(tmp_path: Path) -> None:
    from ..helpers import user_corpus

    folder = user_corpus(tmp_path)
    target = tmp_path / "stories.sqlite"
    assert run("build", str(folder), "-o", str(target)).returncode == 0
    catalog = folder / "catalog.json"
    catalog.write_text(catalog.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    stale = run("--corpus", str(target), "search", "umbrella")
    warnings = [line for line in stale.stderr.splitlines() if "warning" in line]
    assert len(warnings) == 1
    (warning,) = warnings
    assert warning.count("rebuild") + warning.count("build") == 1
    # The catalog changed since the file was built: the two differ, and the
    # message tells the two apart.
    catalog.write_text(
        catalog.read_text(encoding="utf-8").replace("The umbrella", "The big umbrella"),
        encoding="utf-8",
    )
    clash = run("--corpus", str(target), "--corpus", str(folder), "list")
    assert clash.returncode == 2
    problem = next(line for line in clash.stderr.splitlines() if "defined twice" in line)
    first, second = problem.split(" at ", 1)[1].split("; ")[0].split(" and at ")
    assert first != second
    assert str(target) in first
    assert "rebuild" in problem
