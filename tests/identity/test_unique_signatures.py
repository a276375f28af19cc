"""No two accounts hold the same signature: a clash at finalize re-seeds before any account."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from notalabel.container import Container
from notalabel.engine.pattern import PatternModel, fingerprint
from notalabel.identity import account, uniqueness
from notalabel.identity import service as identity_service
from notalabel.identity.models import SignatureFingerprint
from notalabel.identity.uniqueness import ClaimedSignature
from notalabel.patterns.models import Pattern
from notalabel.users.models import User
from tests.identity.factories import PROCESS, onboard, say, session_at_confirmation, start

SEED = 424242


@pytest.fixture
def same_seed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every session gets the same seed, so the same words give the same pattern."""
    monkeypatch.setattr(identity_service.secrets, "randbelow", lambda _bound: SEED)


async def _models(container: Container) -> dict[str, PatternModel]:
    async with container.db.transaction() as tx:
        rows = await tx.execute(
            select(Pattern.creator_id, Pattern.model).where(Pattern.is_signature.is_(True))
        )
        return {creator: PatternModel.from_json(model) for creator, model in rows}


async def _fingerprints(container: Container) -> dict[str, str]:
    async with container.db.transaction() as tx:
        rows = await tx.execute(
            select(SignatureFingerprint.user_id, SignatureFingerprint.fingerprint)
        )
        return {str(row[0]): str(row[1]) for row in rows}


async def _refined(client: httpx.AsyncClient, name: str) -> dict[str, Any]:
    session_id = await start(client)
    await say(client, session_id, "dreamy ambient music for sleeping")
    await say(client, session_id, "more bass")
    await say(client, session_id, "faster")
    await say(client, session_id, "love it!")
    await say(client, session_id, name)
    return await say(client, session_id, "yes")


@pytest.mark.usefixtures("same_seed")
async def test_the_same_refined_pattern_twice_gives_the_second_artist_their_own(
    client: httpx.AsyncClient, container: Container
) -> None:
    first = await _refined(client, "First Sleeper")
    second = await _refined(client, "Second Sleeper")
    assert first["nextStep"] == second["nextStep"] == "completed"
    mine, theirs = first["signaturePattern"], second["signaturePattern"]
    assert mine["strudelCode"] != theirs["strudelCode"]
    assert "re-voiced" not in first["message"]
    assert "re-voiced" in second["message"]

    models = await _models(container)
    kept, moved = models[first["user"]["id"]], models[second["user"]["id"]]
    # the same genre, mood, settings and refinements (more bass, faster): only the seed moved
    assert moved.settings.seed != kept.settings.seed
    assert (moved.settings.bass, moved.settings.tempo_shift) == (1, 1)
    same = ("genre", "mood", "energy", "complexity", "keywords", "bass", "tempo_shift", "space")
    for field in same:
        assert getattr(moved.settings, field) == getattr(kept.settings, field), field

    stored = await _fingerprints(container)
    assert stored == {
        first["user"]["id"]: fingerprint(kept),
        second["user"]["id"]: fingerprint(moved),
    }
    assert fingerprint(kept) != fingerprint(moved)


@pytest.mark.usefixtures("same_seed")
async def test_an_arrangement_claimed_between_check_and_insert_is_re_seeded(
    client: httpx.AsyncClient, container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = await onboard(client, "Raced First")
    taken = (await _fingerprints(container))[first["user"]["id"]]
    real = account.free_signature
    calls: list[int] = []

    def stale_check(conn: Any, record: dict[str, Any]) -> ClaimedSignature:
        # the first look happened before the other onboarding committed: it saw the
        # arrangement as free
        calls.append(1)
        if len(calls) == 1:
            return ClaimedSignature(record, taken, 0)
        return real(conn, record)

    monkeypatch.setattr(account, "free_signature", stale_check)
    second = await onboard(client, "Raced Second")
    assert len(calls) == 2
    assert "re-voiced" in second["message"]
    stored = await _fingerprints(container)
    assert stored[first["user"]["id"]] == taken
    assert stored[second["user"]["id"]] != taken


@pytest.mark.usefixtures("same_seed")
async def test_when_every_re_seed_clashes_nothing_is_created_and_the_artist_can_retry(
    client: httpx.AsyncClient, container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    await onboard(client, "Holder")
    session_id = await session_at_confirmation(client, "Unlucky")
    # a broken table where every arrangement is already someone's
    monkeypatch.setattr(uniqueness, "fingerprint", lambda _model: next(iter(held)))
    held = set((await _fingerprints(container)).values())
    answer = await client.post(PROCESS, json={"sessionId": session_id, "input": "yes"})
    assert answer.status_code == 409, answer.text
    assert answer.json()["error"]["code"] == "signature_not_unique"
    async with container.db.transaction() as tx:
        users = await tx.scalar(select(func.count()).select_from(User))
    assert users == 1

    monkeypatch.undo()
    retried = await say(client, session_id, "yes")
    assert retried["nextStep"] == "completed"


async def test_erasing_an_account_frees_its_arrangement(
    client: httpx.AsyncClient, container: Container
) -> None:
    done = await onboard(client, "Leaving Soon")
    assert len(await _fingerprints(container)) == 1
    headers = {"Authorization": f"Bearer {done['token']}"}
    assert (await client.delete("/api/users/me", headers=headers)).status_code == 204
    assert await _fingerprints(container) == {}


def test_a_re_seed_is_deterministic_and_lands_far_from_the_last_seed() -> None:
    seeds = [uniqueness.next_seed(SEED)]
    for _ in range(5):
        seeds.append(uniqueness.next_seed(seeds[-1]))
    assert len(set(seeds)) == 6
    assert all(0 <= seed < 2**31 for seed in seeds)
    assert all(abs(b - a) > 2**20 for a, b in zip([SEED, *seeds], seeds, strict=False))
    assert uniqueness.next_seed(SEED) == uniqueness.next_seed(SEED)
