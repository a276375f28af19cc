"""Make remixes in words through the API, in-process, and print each as strudel-check input.

Originals are engine patterns stored directly (one per description, across genres); every
remix goes through POST /api/patterns/{id}/remix: variations, mashups and extensions, and
remixes of remixes.

Usage: python scripts/remix_patterns.py | ../shared/strudel-check/run.sh --strict
"""

from __future__ import annotations

import asyncio
import json
import tempfile
from pathlib import Path
from typing import Any

import httpx

from notalabel.app import create_app
from notalabel.config import Settings
from notalabel.container import Container, build_container
from notalabel.db import utcnow
from notalabel.engine.language import analyze_description
from notalabel.engine.pattern import generate_pattern
from notalabel.identity.naming import name_key
from notalabel.migrate import upgrade
from notalabel.patterns.models import new_pattern_id
from notalabel.patterns.service import insert_pattern
from notalabel.users.service import ClientInfo, new_artist, sign_in

ORIGINALS = [
    "I love chill lo-fi beats for studying",
    "hard trap with heavy 808s for the gym",
    "deep house for dancing at sunset",
    "ambient soundscapes with rain for sleeping",
    "dnb, fast and complex",
    "smooth jazz piano late at night",
    "dark techno in a warehouse",
    "synthwave driving at night with neon lights",
]
FEEDBACK = [
    "faster and more bass",
    "darker",
    "make it more dreamy",
    "simpler",
    "add a melody",
    "more energy",
    "try a different style",
    "brighter and slower",
]
# (remix type, index of the source, index of the second source or None, feedback index)
REMIXES: list[tuple[str, int, int | None, int]] = [
    *(("variation", n, None, n) for n in range(len(ORIGINALS))),
    *(("extension", n, None, (n + 3) % len(FEEDBACK)) for n in range(len(ORIGINALS))),
    *(("mashup", n, (n + 1) % len(ORIGINALS), (n + 5) % len(FEEDBACK)) for n in range(8)),
    *(("mashup", n, (n + 4) % len(ORIGINALS), 0) for n in range(0, 8, 2)),
]


async def _artist(container: Container, name: str) -> tuple[str, dict[str, str]]:
    async with container.db.transaction() as tx:
        user = new_artist(
            artist_name=name,
            name_key=name_key(name),
            music_dna={},
            signature_pattern={},
            bio="",
            collaboration_openness=5,
        )
        tx.add(user)
        await tx.flush()
        signed = await sign_in(tx, container.tokens, user, "musical_identity", ClientInfo())
    return user.id, {"Authorization": f"Bearer {signed.access_token}"}


def _original(creator_id: str, description: str, seed: int) -> dict[str, Any]:
    made = generate_pattern(analyze_description(description), seed)
    now = utcnow()
    return {
        "id": new_pattern_id(),
        "creator_id": creator_id,
        "title": description[:120],
        "description": made.description,
        "strudel_code": made.code,
        "model": made.model.to_json(),
        "bpm": made.bpm,
        "key": made.key,
        "genre": made.genre.value,
        "mood": made.mood.value,
        "tags": [],
        "ai_generated": True,
        "prompt": description,
        "created_at": now,
        "updated_at": now,
    }


async def _remix(
    client: httpx.AsyncClient, headers: dict[str, str], source: str, **body: Any
) -> Any:
    response = await client.post(f"/api/patterns/{source}/remix", json=body, headers=headers)
    response.raise_for_status()
    return response.json()


async def main() -> None:
    """Store the originals, remix them through the API and print every remix."""
    with tempfile.TemporaryDirectory() as data_dir:
        settings = Settings(
            _env_file=None,
            data_dir=Path(data_dir),
            rate_limit_enabled=False,
        )
        container = build_container(settings)
        await upgrade(container.db)
        maker, _ = await _artist(container, "RemixCheckMaker")
        _, fan = await _artist(container, "RemixCheckFan")
        rows = [_original(maker, text, seed) for seed, text in enumerate(ORIGINALS)]

        def store(conn: Any) -> None:
            for row in rows:
                insert_pattern(conn, row)

        await container.db.run(store)
        app = create_app(settings, container)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://ci") as client:
            for number, (kind, source, second, words) in enumerate(REMIXES, start=1):
                body: dict[str, Any] = {"remixType": kind, "feedback": FEEDBACK[words]}
                if second is not None:
                    body["secondPatternId"] = rows[second]["id"]
                made = await _remix(client, fan, rows[source]["id"], **body)
                print(json.dumps({"id": f"remix-{number}-{kind}", "code": made["code"]}))
                # and a remix of that remix, so chains are checked too
                again = await _remix(
                    client, fan, made["id"], remixType="variation", feedback=FEEDBACK[number % 8]
                )
                print(json.dumps({"id": f"remix-{number}-again", "code": again["code"]}))
        await container.close()


if __name__ == "__main__":
    asyncio.run(main())
