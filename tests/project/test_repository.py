"""The promises README makes about setting up, kept in step with CI."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


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


def test_every_licence_used_is_declared_and_its_text_shipped() -> None:
    import tomllib

    reuse = tomllib.loads((ROOT / "REUSE.toml").read_text(encoding="utf-8"))
    used = {
        licence
        for note in reuse["annotations"]
        for licence in note["SPDX-License-Identifier"].split(" AND ")
    }
    assert used == {path.stem for path in (ROOT / "LICENSES").glob("*.txt")}
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert set(project["license"].split(" AND ")) == used
    # The last annotation that matches a file applies: the texts' come last,
    # so no licence of the maintainers' is claimed for them.
    *_, data, first, second = reuse["annotations"]
    assert data["SPDX-License-Identifier"] == "CC-BY-4.0"
    assert "src/clientocracy/data/catalog.json" in data["path"]
    texts = sorted((ROOT / "src" / "clientocracy" / "data" / "texts").glob("*.txt"))
    assert [first["path"], second["path"]] == [str(p.relative_to(ROOT)) for p in texts]
    for note in (first, second):
        assert note["SPDX-License-Identifier"] == "LicenseRef-clientocracy-source-texts"


def test_the_citation_file_describes_the_dataset_as_it_is() -> None:
    import yaml

    import clientocracy

    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert citation["cff-version"] == "1.2.0"
    assert citation["type"] == "dataset"
    assert {"message", "title", "authors"} <= set(citation)
    stories = clientocracy.stories()
    assert len(stories) == 10
    assert citation["abstract"].startswith("Ten stories")
    pairs = len(list(clientocracy.segment_rows(stories)))
    assert f"({pairs} segment pairs in all)" in " ".join(citation["abstract"].split())
    # Each source text is cited as the work of its own author.
    assert [ref["title"] for ref in citation["references"]] == [
        source.title_in(source.language.id)
        for source in dict.fromkeys(story.source for story in stories)
    ]
