"""Save, refine and restore library patterns through the API, and print every stored version.

Each line is strudel-check input ({"id", "code"}): patterns created from descriptions and from
every genre x mood of musicDNA, refined with chains of feedback, and restored.

Usage: python scripts/library_patterns.py | ../shared/strudel-check/run.sh --strict
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
from notalabel.container import build_container
from notalabel.engine.vocabulary import Genre, Mood
from notalabel.migrate import upgrade

DESCRIPTIONS = [
    "I love chill lo-fi beats for studying",
    "hard trap with heavy 808s for the gym",
    "deep house for dancing at sunset",
    "ambient soundscapes with rain for sleeping",
    "dnb, fast and complex",
    "smooth jazz piano late at night",
    "dark techno in a warehouse",
    "dreamy synthwave for night drives",
    "upbeat afrobeats with guitar",
    "reggaeton for a summer party",
    "melancholic hip hop with strings",
    "aggressive dubstep wobble",
    "drill with sliding bass",
    "bright pop with bells",
    "something weird and experimental",
]
REFINEMENTS = [
    ["faster", "more bass", "darker"],
    ["make it dreamy", "add a melody", "slower"],
    ["simpler", "brighter", "more energy"],
    ["try a different style", "more complex", "less bass"],
    ["make it more like jazz", "less energy", "faster and more bass"],
]


async def artist_headers(client: httpx.AsyncClient) -> dict[str, str]:
    """Onboard one artist through the API and return their Authorization header."""
    started = await client.post("/api/auth/musical-identity/start")
    session_id = started.json()["sessionId"]
    body: dict[str, Any] = {}
    for text in ("I love chill lo-fi beats", "love it!", "LibraryCheck", "yes"):
        response = await client.post(
            "/api/auth/musical-identity/process", json={"sessionId": session_id, "input": text}
        )
        response.raise_for_status()
        body = response.json()
    return {"Authorization": f"Bearer {body['token']}"}


async def save(client: httpx.AsyncClient, headers: dict[str, str], **body: Any) -> str:
    """POST /api/patterns; the new pattern's id."""
    response = await client.post("/api/patterns", json=body, headers=headers)
    response.raise_for_status()
    return str(response.json()["id"])


async def versions(client: httpx.AsyncClient, pattern_id: str) -> list[dict[str, Any]]:
    """Every stored version of a pattern, oldest first."""
    response = await client.get(f"/api/patterns/{pattern_id}/versions", params={"limit": 100})
    response.raise_for_status()
    return list(reversed(response.json()["items"]))


async def library(client: httpx.AsyncClient, headers: dict[str, str]) -> list[str]:
    """Make the patterns; the ids of all of them."""
    ids = [await save(client, headers, description=text) for text in DESCRIPTIONS]
    for genre in Genre:
        for mood in Mood:
            dna = {"primaryGenre": genre.value, "preferredMood": mood.value}
            ids.append(await save(client, headers, musicDNA=dna))
    for number, chain in enumerate(REFINEMENTS):
        pattern_id = ids[number * 3]
        for words in chain:
            url = f"/api/patterns/{pattern_id}/refine"
            refined = await client.post(url, json={"feedback": words}, headers=headers)
            refined.raise_for_status()
        restore = f"/api/patterns/{pattern_id}/versions/2/restore"
        (await client.post(restore, headers=headers)).raise_for_status()
    return ids


async def main() -> None:
    """Print every version of every pattern made above."""
    with tempfile.TemporaryDirectory() as data_dir:
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            data_dir=Path(data_dir),
            rate_limit_enabled=False,
        )
        container = build_container(settings)
        await upgrade(container.db)
        app = create_app(settings, container)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://ci") as client:
            headers = await artist_headers(client)
            for index, pattern_id in enumerate(await library(client, headers), start=1):
                for version in await versions(client, pattern_id):
                    line = {"id": f"library-{index}-v{version['number']}", "code": version["code"]}
                    print(json.dumps(line))
        await container.close()


if __name__ == "__main__":
    asyncio.run(main())
