"""`python -m clientocracy`: the same as the `clientocracy` command."""

from ._cli.app import run

run()
