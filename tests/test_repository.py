"""The promises README makes about setting up, kept in step with CI."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def readme_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Set up on a fresh machine", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section)


def test_readme_gives_exactly_two_set_up_commands() -> None:
    install_and_run, test = readme_commands()
    assert install_and_run.startswith("python3 -m venv .venv && ")
    assert install_and_run.endswith("clientocracy list")
    assert "'.[test]'" in test
    assert test.endswith("pytest")


def test_ci_runs_the_readme_commands_word_for_word() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    for command in readme_commands():
        assert command in ci


def test_the_docs_install_from_a_checkout_with_the_readme_commands() -> None:
    # Until a release exists, `pip install clientocracy` would install nothing.
    index = (ROOT / "docs" / "index.md").read_text(encoding="utf-8")
    for command in readme_commands():
        assert f"```sh\n{command}\n```" in index
    assert "```sh\npip install clientocracy" not in index


def test_changelog_has_an_unreleased_section() -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## [Unreleased]" in changelog
