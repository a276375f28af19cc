"""The typer commands `join`, `me` and `logout`, registered by notalabel.cli."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Coroutine
from typing import Annotated, Any, NoReturn, TypeVar

import typer
from rich.console import Console
from rich.text import Text

from notalabel.terminal import account, credentials
from notalabel.terminal.client import ApiError
from notalabel.terminal.embedded import connect
from notalabel.terminal.join import Aborted
from notalabel.terminal.join import join as run_join
from notalabel.terminal.render import render_profile

T = TypeVar("T")

ServerOption = Annotated[
    str | None,
    typer.Option(
        "--server",
        metavar="URL",
        help="API to talk to, e.g. http://127.0.0.1:8000 (default: the service in-process).",
    ),
]


def _stop(message: str, code: int = 1) -> NoReturn:
    Console(stderr=True, highlight=False).print(Text(f"notalabel: {message}"), soft_wrap=True)
    raise typer.Exit(code=code)


def _run(work: Coroutine[Any, Any, T]) -> T:
    """Run a command's coroutine; every expected failure ends as one line and an exit code.

    A loop of our own rather than asyncio.run: asyncio.run turns Ctrl-C into a task
    cancellation, which a blocking prompt only notices after the next Enter.
    """
    loop = asyncio.new_event_loop()
    task = loop.create_task(work)
    try:
        return loop.run_until_complete(task)
    except KeyboardInterrupt:
        task.cancel()
        with contextlib.suppress(BaseException):
            loop.run_until_complete(task)
        _stop("interrupted", 130)
    except Aborted as exc:
        # the prompt's line is still open (or shows ^C): start the message on a fresh one
        Console(stderr=True).print()
        _stop(exc.message, exc.exit_code)
    except (ApiError, credentials.CredentialsError, account.NotSignedIn) as exc:
        _stop(str(exc))
    except OSError as exc:
        _stop(f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": "))
    finally:
        with contextlib.suppress(BaseException):
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.run_until_complete(loop.shutdown_default_executor())
        loop.close()


def join(server: ServerOption = None) -> None:
    """Create your artist account by describing your music (tokens saved in your config dir)."""

    async def work() -> None:
        async with connect(server) as api:
            await run_join(api, Console(highlight=False))

    _run(work())


def _signed_in(server: str | None) -> credentials.Credentials:
    try:
        saved = credentials.load()
    except credentials.CredentialsError as exc:
        _stop(str(exc))
    if saved is None:
        _stop(account.NOT_SIGNED_IN)
    if server is not None and server.rstrip("/") != saved.server:
        _stop(f"signed in at {saved.server}, not {server}: run `notalabel join --server {server}`")
    return saved


def me(server: ServerOption = None) -> None:
    """Show the profile of the artist signed in here."""
    saved = _signed_in(server)

    async def work() -> dict[str, Any]:
        async with connect(saved.server) as api:
            return await account.profile(api, saved)

    render_profile(Console(highlight=False), _run(work()))


def logout(server: ServerOption = None) -> None:
    """End this sign-in on the server and delete the saved tokens."""
    saved = _signed_in(server)

    async def work() -> str | None:
        async with connect(saved.server) as api:
            return await account.logout(api, saved)

    if warning := _run(work()):
        Console(stderr=True, highlight=False).print(Text(f"notalabel: {warning}"))
    where = credentials.credentials_path()
    Console(highlight=False).print(Text(f"Signed out {saved.artist_name}; removed {where}."))
