"""The `notalabel` command: serve, migrate, events, generate patterns, the terminal client."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Annotated, NoReturn, TypeVar

import typer
import uvicorn
from pydantic import ValidationError

from notalabel.config import Mode, Settings
from notalabel.db import Database
from notalabel.terminal import commands as terminal

if TYPE_CHECKING:
    from notalabel.events.deadletters import DeadLetterStore

T = TypeVar("T")

app = typer.Typer(help="Not a Label backend.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
app.add_typer(db_app, name="db")
events_app = typer.Typer(help="The event outbox and its dead letters.", no_args_is_help=True)
app.add_typer(events_app, name="events")
voice_app = typer.Typer(help="Sealed voiceprints.", no_args_is_help=True)
app.add_typer(voice_app, name="voice")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
) -> None:
    """Start the HTTP API (embedded default: SQLite in NAL_DATA_DIR)."""
    from notalabel.serving import event_loop_for, share_metrics
    from notalabel.storage import storage_problem

    try:
        settings = Settings()
    except ValidationError as exc:
        _fail("invalid settings: " + "; ".join(_setting_problems(exc)))
    if problem := storage_problem(settings):
        _fail(problem)
    if workers > 1 and settings.mode is not Mode.PRODUCTION:
        raise typer.BadParameter(
            "several workers need production mode (PostgreSQL + Redis): "
            "the embedded default keeps its cache and events in one process",
            param_hint="--workers",
        )
    share_metrics(settings.data_dir, workers)
    uvicorn.run(
        "notalabel.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        # the client address comes from NAL_TRUSTED_PROXIES (notalabel.proxies) alone
        proxy_headers=False,
        # httptools parses HTTP in C; the loop depends on the database (serving.event_loop_for)
        http="notalabel.serving:NoDelayHttpToolsProtocol",
        loop=event_loop_for(settings.effective_database_url),
        # /api/realtime: uvicorn's sans-io protocol, closing sockets with 1001 at shutdown
        ws="notalabel.serving:GoingAwayWebSocketProtocol",
        server_header=False,
        log_config=None,
    )


def _fail(message: str) -> NoReturn:
    """Stop with one line on stderr and a non-zero exit, no traceback."""
    typer.echo(f"notalabel: {message}", err=True)
    raise typer.Exit(code=1)


def _setting_problems(exc: ValidationError) -> list[str]:
    return [
        f"{'.'.join(str(part) for part in err['loc']) or 'settings'}: {err['msg']}"
        for err in exc.errors()
    ]


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument()] = "head") -> None:
    """Create or migrate the database schema."""
    from notalabel.migrate import upgrade

    async def run() -> None:
        db = Database(Settings().effective_database_url)
        try:
            await upgrade(db, revision)
        finally:
            await db.dispose()

    asyncio.run(run())
    typer.echo(f"database at {revision}")


@db_app.command("prune-sessions")
def db_prune_sessions() -> None:
    """Delete unfinished onboarding sessions that have expired."""
    from notalabel.container import build_container

    async def run() -> int:
        container = build_container(Settings())
        try:
            return await container.identity.prune_expired()
        finally:
            await container.close()

    typer.echo(f"deleted {asyncio.run(run())} expired sessions")


@voice_app.command("reseal")
def voice_reseal() -> None:
    """Seal every voice row under NAL_VOICEPRINT_KEY (after rotating it; old keys retired)."""
    from notalabel.voice.rekey import reseal_voice_rows
    from notalabel.voice.sealing import VoiceprintSeal

    settings = Settings()
    seal = VoiceprintSeal(settings.voiceprint_key_bytes, settings.voiceprint_retired_key_bytes)
    report = asyncio.run(_with_database(lambda db: reseal_voice_rows(db, seal)))
    typer.echo(
        f"resealed {report.resealed} rows, {report.current} already current, "
        f"dropped {report.dropped} short-lived rows no key opens"
    )
    if report.unreadable_voiceprints:
        typer.echo(
            f"{len(report.unreadable_voiceprints)} voiceprints open with no key; those artists "
            "must enrol again: " + ", ".join(report.unreadable_voiceprints)
        )


@events_app.command("dead-letters")
def events_dead_letters(
    replayed: Annotated[bool, typer.Option("--replayed", help="Also those replayed.")] = False,
) -> None:
    """List the events a handler kept failing on, oldest first."""
    letters = asyncio.run(_with_dead_letters(lambda store: store.list(include_replayed=replayed)))
    if not letters:
        typer.echo("no dead letters")
    for letter in letters:
        state = f" replayed {letter.replayed_at:%Y-%m-%d %H:%M:%S}" if letter.replayed_at else ""
        typer.echo(
            f"{letter.id}\t{letter.failed_at:%Y-%m-%d %H:%M:%S}\t{letter.name}\t{letter.handler}"
            f"\t{letter.attempts} attempts\t{letter.error[:120]}{state}"
        )


@events_app.command("replay")
def events_replay(letter_id: Annotated[str, typer.Argument(help="A dead letter's id.")]) -> None:
    """Queue a dead letter's event again for its handler; the running service delivers it."""
    letter = asyncio.run(_with_dead_letters(lambda store: store.replay(letter_id)))
    if letter is None:
        _fail(f"no dead letter {letter_id}")
    if letter.replayed_at is not None:
        _fail(f"dead letter {letter_id} was replayed already, at {letter.replayed_at:%H:%M:%S}")
    typer.echo(f"queued {letter.name} #{letter.event_id} for {letter.handler} again")


async def _with_dead_letters(work: Callable[[DeadLetterStore], Awaitable[T]]) -> T:
    from notalabel.container import connect_redis, dead_letter_store

    settings = Settings()
    redis = connect_redis(settings.redis_url, timeout=5.0) if settings.redis_url else None

    async def use(db: Database) -> T:
        return await work(dead_letter_store(settings, db, redis))

    try:
        return await _with_database(use)
    finally:
        if redis is not None:
            await redis.aclose()


async def _with_database(work: Callable[[Database], Awaitable[T]]) -> T:
    db = Database(Settings().effective_database_url)
    try:
        return await work(db)
    finally:
        await db.dispose()


@app.command()
def pattern(
    description: Annotated[str, typer.Argument(help="What the music should be like.")],
    refine: Annotated[
        list[str] | None, typer.Option("--refine", help="Feedback to apply, in order.")
    ] = None,
    seed: Annotated[int, typer.Option(help="Variation seed.")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Understand a description, build a pattern and apply refinements."""
    from notalabel.engine.language import analyze_description, analyze_feedback
    from notalabel.engine.pattern import generate_pattern, refine_pattern

    dna = analyze_description(description)
    result = generate_pattern(dna, seed)
    applied: list[dict[str, object]] = []
    for step, text in enumerate(refine or [], start=1):
        feedback = analyze_feedback(text)
        applied.append(
            {
                "input": text,
                "accept": feedback.accept,
                "adjustments": [a.kind.value for a in feedback.adjustments],
            }
        )
        if feedback.adjustments:
            result = refine_pattern(result.model, feedback.adjustments, seed + step)
    if as_json:
        body = {"musicDNA": dna.to_json(), "refinements": applied, "pattern": result.to_json()}
        typer.echo(json.dumps(body, indent=2, ensure_ascii=False))
        return
    typer.echo(f"# music DNA: {json.dumps(dna.to_json(), ensure_ascii=False)}")
    for item in applied:
        typer.echo(f"# refine {item['input']!r}: {item['adjustments'] or 'accepted'}")
    typer.echo(f"# {result.description}")
    typer.echo(f"# {result.bpm} bpm, {result.key}; open: {result.share_url}")
    typer.echo(result.code)


# the terminal client (notalabel.terminal): onboarding, profile and sign-out over the public API
app.command()(terminal.join)
app.command()(terminal.me)
app.command()(terminal.logout)
