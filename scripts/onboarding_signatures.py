"""Run real onboarding flows in-process and print each signature pattern as strudel-check input.

Usage: python scripts/onboarding_signatures.py | ../shared/strudel-check/run.sh --strict
"""

from __future__ import annotations

import asyncio
import json
import tempfile
from pathlib import Path

import httpx

from notalabel.app import create_app
from notalabel.config import Settings
from notalabel.container import build_container
from notalabel.migrate import upgrade

FLOWS: list[tuple[str, list[str]]] = [
    ("I love chill lo-fi beats for studying", ["make it more dreamy"]),
    ("hard trap with heavy 808s for the gym", ["faster and more bass", "darker"]),
    ("deep house for dancing at sunset", ["add a melody"]),
    ("ambient soundscapes with rain for sleeping", ["simpler"]),
    ("dnb, fast and complex", ["more energy", "try a different style"]),
    ("smooth jazz piano late at night", ["slower", "brighter"]),
    ("something weird and experimental", ["make it more like synthwave", "less bass"]),
]


async def main() -> None:
    """Onboard one artist per flow and print the signature patterns."""
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
            for number, (description, refinements) in enumerate(FLOWS, start=1):
                started = await client.post("/api/auth/musical-identity/start")
                session_id = started.json()["sessionId"]
                answers = [description, *refinements, "love it!", f"SignatureCheck{number}", "yes"]
                body = {}
                for text in answers:
                    response = await client.post(
                        "/api/auth/musical-identity/process",
                        json={"sessionId": session_id, "input": text},
                    )
                    response.raise_for_status()
                    body = response.json()
                signature = body["signaturePattern"]
                print(json.dumps({"id": f"signature-{number}", "code": signature["strudelCode"]}))
        await container.close()


if __name__ == "__main__":
    asyncio.run(main())
