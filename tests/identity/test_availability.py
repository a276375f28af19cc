"""Who holds a name: accounts and live onboardings, not completed or expired ones."""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlalchemy import select, update
from sqlalchemy.engine import Connection

from notalabel.container import Container
from notalabel.db import utcnow
from notalabel.identity.availability import taken_name_keys
from notalabel.identity.models import IdentitySession
from notalabel.users.models import User
from tests.identity.factories import onboard, say, session_at_confirmation
from tests.users.factories import make_artist

RENAME = "/api/users/me/artist-name"


async def session_key(container: Container, session_id: str) -> str:
    async with container.db.transaction() as tx:
        key = await tx.scalar(
            select(IdentitySession.tentative_name_key).where(IdentitySession.id == session_id)
        )
    assert key
    return key


async def user_key(container: Container, user_id: str) -> str:
    async with container.db.transaction() as tx:
        key = await tx.scalar(select(User.artist_name_key).where(User.id == user_id))
    assert key
    return key


async def test_a_completed_onboarding_no_longer_holds_its_name(
    client: httpx.AsyncClient, container: Container
) -> None:
    done = await onboard(client, "FirstName")
    headers = {"Authorization": f"Bearer {done['token']}"}
    renamed = await client.post(RENAME, json={"artistName": "SecondName"}, headers=headers)
    assert renamed.status_code == 200, renamed.text

    other = await make_artist(container, "Latecomer")
    taken = await client.post(RENAME, json={"artistName": "FirstName"}, headers=other.headers)
    assert taken.status_code == 200, taken.text
    assert taken.json()["artistName"] == "FirstName"


async def test_a_completed_onboarding_frees_the_old_name_for_a_new_onboarding(
    client: httpx.AsyncClient,
) -> None:
    done = await onboard(client, "FreedName")
    headers = {"Authorization": f"Bearer {done['token']}"}
    assert (await client.post(RENAME, json={"artistName": "Moved"}, headers=headers)).is_success
    await session_at_confirmation(client, "FreedName")


async def test_an_expired_onboarding_holds_nothing(
    client: httpx.AsyncClient, container: Container
) -> None:
    session_id = await session_at_confirmation(client, "Lapsed")
    artist = await make_artist(container, "Waiting")
    held = await client.post(RENAME, json={"artistName": "Lapsed"}, headers=artist.headers)
    assert held.status_code == 409

    async with container.db.transaction() as tx:
        await tx.execute(
            update(IdentitySession)
            .where(IdentitySession.id == session_id)
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
    freed = await client.post(RENAME, json={"artistName": "Lapsed"}, headers=artist.headers)
    assert freed.status_code == 200, freed.text


async def test_taken_keys_skip_only_the_callers_own_session_and_account(
    client: httpx.AsyncClient, container: Container
) -> None:
    session_id = await session_at_confirmation(client, "HeldName")
    other_session = await session_at_confirmation(client, "OtherHeld")
    artist = await make_artist(container, "OwnedName")
    held, other_held = (
        await session_key(container, session_id),
        await session_key(container, other_session),
    )
    owned = await user_key(container, artist.user.id)
    keys = [held, other_held, owned, "nobody-has-this"]

    def check(conn: Connection) -> None:
        assert taken_name_keys(conn, keys) == {held, other_held, owned}
        assert taken_name_keys(conn, keys, except_session=session_id) == {other_held, owned}
        assert taken_name_keys(conn, keys, except_user=artist.user.id) == {held, other_held}
        assert taken_name_keys(conn, []) == set()

    await container.db.read(check)


async def test_own_session_can_confirm_its_reserved_name(client: httpx.AsyncClient) -> None:
    session_id = await session_at_confirmation(client, "KeepMine")
    again = await say(client, session_id, "no")
    assert again["nextStep"] == "naming", again
    named = await say(client, session_id, "KeepMine")
    assert named["nextStep"] == "confirmation", named
