"""`python -m clientocracy`: the same as the `clientocracy` command."""

import sys

from ._cli import main

sys.exit(main())
