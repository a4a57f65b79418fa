"""`python -m clientocracy`: the same as the `clientocracy` command."""

import sys

from ._cli.app import main

sys.exit(main())
