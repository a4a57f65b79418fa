"""The site's build hooks import one another by name, as MkDocs loads them
(with their folder on the import path); the test run's doctest collection
imports them the same way."""

import sys
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent))
