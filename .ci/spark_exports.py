"""Make the files the Spark example of docs/large-exports.md reads, from a generated corpus.

Run with the project's environment (clientocracy and pyarrow installed):
``python .ci/spark_exports.py FOLDER [STORIES]``. In FOLDER it generates a
corpus of STORIES stories with translations (default 5000), runs every
``clientocracy`` command of the page's ``sh`` blocks on it (with
``--corpus``), and writes ``expected.json``: what the files must hold, as
the library counts it, for the Spark side to compare with.
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "large-exports.md"
FENCE = re.compile(r"^```(\w+)\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def main() -> int:
    folder = Path(sys.argv[1]).resolve()
    size = int(sys.argv[2]) if len(sys.argv) > 2 else 5000
    folder.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from generate import generate

    import clientocracy

    corpus_folder = generate(size, folder / "corpus", translations=True)
    script = Path(sys.executable).parent / "clientocracy"
    commands = [
        line
        for language, body in FENCE.findall(PAGE.read_text(encoding="utf-8"))
        if language == "sh"
        for line in body.splitlines()
        if line.startswith("clientocracy ")
    ]
    for line in commands:
        words = shlex.split(line)
        command = [str(script), "--corpus", str(corpus_folder), *words[1:]]
        print("$", shlex.join(["clientocracy", "--corpus", "corpus", *words[1:]]), flush=True)
        subprocess.run(command, cwd=folder, check=True)
    # --corpus adds the corpus to the bundled stories.
    stories = [*clientocracy.stories(), *clientocracy.load(corpus_folder).stories()]
    languages: dict[str, int] = {}
    for story in stories:
        languages[story.language.id] = languages.get(story.language.id, 0) + 1
    expected = {
        "stories": len(stories),
        "segments": sum(len(t.segments) for s in stories for t in s.translations),
        "languages": languages,
    }
    (folder / "expected.json").write_text(json.dumps(expected), encoding="utf-8")
    print("expected:", expected)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
