"""The version of clientocracy."""

__version__ = "0.1.0.dev0"
"""The version of clientocracy, as [PEP 440](https://peps.python.org/pep-0440/) spells it."""
