"""Check that two wheels carry the same files with the same contents.

CI builds the wheel from the sdist (as an installer from an index would)
and again from the source tree: a file missing from the sdist shows here.

    python scripts/compare_wheels.py A.whl B.whl
"""

from __future__ import annotations

import hashlib
import sys
import zipfile


def contents(path: str) -> dict[str, str]:
    with zipfile.ZipFile(path) as wheel:
        return {
            name: hashlib.sha256(wheel.read(name)).hexdigest()
            for name in wheel.namelist()
            if not name.endswith("/")
        }


def main(first: str, second: str) -> int:
    a, b = contents(first), contents(second)
    problems = [f"only in {first}: {name}" for name in sorted(a.keys() - b.keys())]
    problems += [f"only in {second}: {name}" for name in sorted(b.keys() - a.keys())]
    problems += [f"differs: {name}" for name in sorted(a.keys() & b.keys()) if a[name] != b[name]]
    for problem in problems:
        print(problem, file=sys.stderr)
    if not problems:
        print(f"the two wheels carry the same {len(a)} files")
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2]))
