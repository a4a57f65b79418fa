"""The exceptions clientocracy raises on purpose."""

from __future__ import annotations

from collections.abc import Sequence

from ._messages import N_, Message, joined
from ._public import public

__all__ = ["CorpusError", "UnknownValueError", "install_command"]


@public
class UnknownValueError(LookupError):
    """A value names no record of its facet (company, principle, …).

    It is a `LookupError`. Its message names the value and suggests the
    closest known ones.

    Attributes:
        facet: What was looked up: `"company"`, `"principle"`,
            `"language"`, `"source"` or `"story"`.
        value: What was given.
        suggestions: The display names (for a story, the ids) of the
            closest known records, best first; possibly none.

    Examples:
        >>> import clientocracy
        >>> try:
        ...     clientocracy.company("Zapos")
        ... except clientocracy.UnknownValueError as error:
        ...     print(error.facet, error.suggestions)
        company ('Zappos',)
    """

    facet: str
    value: str
    suggestions: tuple[str, ...]

    def __init__(self, facet: str, value: str, suggestions: Sequence[str] = ()) -> None:
        self.facet = facet
        self.value = value
        self.suggestions = tuple(suggestions)
        super().__init__(self._message())

    @property
    def brief(self) -> str:
        """The message without its pointer to the listing function, for a command line.

        A value of more than 120 characters is shown by its start.
        """
        value = self.value if len(self.value) <= 120 else self.value[:120] + "…"
        template = _UNKNOWN.get(self.facet, N_("unknown {facet}: {value!r}."))
        message = Message(template, facet=self.facet, value=value)
        if not self.suggestions:
            return message
        names = [Message("{name!r}", name=name) for name in self.suggestions]
        either = names[0]
        if len(names) > 1:
            either = Message(
                N_("{names} or {last}"), names=joined(names[:-1], ", "), last=names[-1]
            )
        hint = Message(N_("Did you mean {names}?"), names=either)
        return Message("{message} {hint}", message=message, hint=hint)

    def _message(self) -> str:
        listing = _LISTINGS.get(self.facet, "the corpus")
        return f"{self.brief} See {listing} for every known value."

    def __reduce__(self) -> tuple[type[UnknownValueError], tuple[str, str, tuple[str, ...]]]:
        return (type(self), (self.facet, self.value, self.suggestions))


# The message of each facet, for a front end to translate.
_UNKNOWN = {
    "company": N_("unknown company: {value!r}."),
    "principle": N_("unknown principle: {value!r}."),
    "language": N_("unknown language: {value!r}."),
    "source": N_("unknown source: {value!r}."),
    "story": N_("unknown story: {value!r}."),
}

_LISTINGS = {
    "company": "clientocracy.companies()",
    "principle": "clientocracy.principles()",
    "language": "clientocracy.languages()",
    "source": "clientocracy.sources()",
    "story": "clientocracy.stories().ids()",
}


@public
class CorpusError(ValueError):
    """A corpus (catalog and texts) is not valid; nothing was loaded.

    It is a `ValueError`; `str(error)` shows every problem, one a line.

    Attributes:
        problems: Every problem found, each as one line that names the
            file, the record or line, and the field.
    """

    problems: tuple[str, ...]

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        count = len(self.problems)
        heading = f"the corpus is not valid ({count} problem{'s' if count != 1 else ''}):"
        super().__init__("\n".join([heading, *(f"  - {p}" for p in self.problems)]))

    def __reduce__(self) -> tuple[type[CorpusError], tuple[tuple[str, ...]]]:
        return (type(self), (self.problems,))


def install_command(extra: str) -> str:
    """The command that adds *extra* to clientocracy as it was installed here.

    An installation from a package index takes `pip install
    'clientocracy[extra]'`; one from a checkout, a local file or a version
    control URL has no release to fetch, so the command names where it came
    from, as pip recorded it in the distribution's `direct_url.json`
    (PEP 610): `pip install -e '/home/me/clientocracy[parquet]'` for an
    editable checkout.
    """
    import json
    from importlib import metadata
    from urllib.parse import unquote, urlparse

    index = f"pip install 'clientocracy[{extra}]'"
    try:
        recorded = metadata.distribution("clientocracy").read_text("direct_url.json")
        direct = json.loads(recorded) if recorded else None
    except (metadata.PackageNotFoundError, ValueError, OSError):
        return index
    if not isinstance(direct, dict) or not isinstance(direct.get("url"), str):
        return index
    url: str = direct["url"]
    if "vcs_info" in direct:
        info = direct["vcs_info"]
        vcs = info.get("vcs", "git") if isinstance(info, dict) else "git"
        return f"pip install 'clientocracy[{extra}] @ {vcs}+{url}'"
    parsed = urlparse(url)
    if parsed.scheme != "file":
        return f"pip install 'clientocracy[{extra}] @ {url}'"
    path = unquote(parsed.path)
    dir_info = direct.get("dir_info")
    if isinstance(dir_info, dict):
        editable = "-e " if dir_info.get("editable") else ""
        return f"pip install {editable}'{path}[{extra}]'"
    return f"pip install '{path}[{extra}]'"
