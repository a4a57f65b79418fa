"""Long output on a terminal goes through a pager, the way git and gh do it.

The pager is `$CLIENTOCRACY_PAGER`, else `$PAGER`, else `less` when it
is installed; an empty value or `cat` turns paging off. `less` gets
`LESS=FRX` unless `LESS` is already set: it quits at once when the output
fits on one screen (F), keeps colours (R) and leaves the text on the screen
when it quits (X). Output that is not a terminal is never paged.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import sys
from collections.abc import Iterator

__all__ = ["paged", "pager_command"]


def pager_command(environ: dict[str, str] | os._Environ[str] | None = None) -> str | None:
    """The pager to run, or `None` for none (unset, empty or `cat`)."""
    env = os.environ if environ is None else environ
    for name in ("CLIENTOCRACY_PAGER", "PAGER"):
        if name in env:
            command = env[name].strip()
            return None if command in ("", "cat") else command
    return "less" if shutil.which("less") else None


@contextlib.contextmanager
def paged(enabled: bool = True) -> Iterator[None]:
    """Send what is written to `sys.stdout` inside the block through the pager.

    Nothing changes when *enabled* is false, standard output is not a
    terminal, or no pager is configured. The block ends when the user quits
    the pager; quitting early is not an error.
    """
    stdout = sys.stdout
    command = pager_command() if enabled and stdout.isatty() else None
    if command is None:
        yield
        return
    import subprocess  # only when paging: it costs a few milliseconds to import

    env = dict(os.environ)
    env.setdefault("LESS", "FRX")
    env.setdefault("LV", "-c")
    try:
        process = subprocess.Popen(command, shell=True, stdin=subprocess.PIPE, env=env)
    except OSError:
        yield
        return
    assert process.stdin is not None
    pipe = io.TextIOWrapper(
        process.stdin, encoding=stdout.encoding or "utf-8", errors="replace", write_through=False
    )
    sys.stdout = pipe
    try:
        yield
        with contextlib.suppress(BrokenPipeError):
            pipe.flush()
    except BrokenPipeError:
        pass  # the user quit the pager before the end: that is what pagers are for
    finally:
        sys.stdout = stdout
        with contextlib.suppress(BrokenPipeError, OSError):
            pipe.close()
        while True:
            # The pager owns the terminal until it exits; Ctrl-C is its business.
            try:
                process.wait()
                break
            except KeyboardInterrupt:
                continue
    if process.returncode != 0:
        from .output import OutputError

        raise OutputError(
            f"the pager ({command})",
            f"it exited with status {process.returncode}, so the output may not have been "
            "shown; set PAGER (or CLIENTOCRACY_PAGER) to a working pager or to cat, "
            "or use --no-pager",
        )
