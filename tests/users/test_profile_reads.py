"""The read paths of profiles and token auth: one read each, no writer, same answers."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import delete, insert, select, update

from notalabel.auth.security_log import SecurityAck, record_security_event
from notalabel.container import Container
from notalabel.db import utcnow
from notalabel.users.exceptions import UserNotFound
from notalabel.users.models import Device, User
from tests.auth.account_helpers import bearer, onboarded, second_device
from tests.users.factories import make_artist

ME = "/api/users/me"


def count_database_use(container: Container, monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Count calls of each way into the database from here on."""
    calls: Counter[str] = Counter()
    db = container.db

    def counted(name: str, original: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            calls[name] += 1
            return original(*args, **kwargs)

        return wrapper

    for name in ("read", "run", "transaction", "sessions"):
        monkeypatch.setattr(db, name, counted(name, getattr(db, name)))
    return calls


async def test_each_route_reads_once_for_the_token_and_once_for_the_profile(
    client: httpx.AsyncClient, container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    viewer = await make_artist(container, "Reader")
    other = await make_artist(container, "Read Target")
    calls = count_database_use(container, monkeypatch)

    assert (await client.get(ME, headers=viewer.headers)).status_code == 200
    assert calls == {"read": 2}
    calls.clear()
    assert (await client.get(f"/api/users/{other.user.id}")).status_code == 200
    assert calls == {"read": 1}
    calls.clear()
    assert (await client.get("/api/users/read%20target", headers=viewer.headers)).status_code == 200
    assert calls == {"read": 2}
    calls.clear()
    assert (await client.get("/api/users/nobody-here", headers=viewer.headers)).status_code == 404
    assert calls == {"read": 2}


async def test_both_views_count_follows_and_patterns_and_me_lists_live_devices(
    client: httpx.AsyncClient, container: Container
) -> None:
    done = await onboarded(client, "Counted")
    me = bearer(done["token"])
    fan = await make_artist(container, "Fan Club")
    idol = await make_artist(container, "Idol Star")
    assert (
        await client.post(f"/api/users/{done['user']['id']}/follow", headers=fan.headers)
    ).is_success
    assert (await client.post(f"/api/users/{idol.user.id}/follow", headers=me)).is_success
    expected = {"followers": 1, "following": 1, "patterns": 1, "likesReceived": 0, "plays": 0}

    mine = (await client.get(ME, headers=me)).json()
    public = (await client.get("/api/users/counted")).json()
    assert mine["counts"] == public["counts"] == expected
    assert {k: v for k, v in mine.items() if k in public} == public
    assert [d["current"] for d in mine["devices"]] == [True]


async def test_devices_are_most_recently_used_first_and_revoked_ones_are_gone(
    client: httpx.AsyncClient, container: Container
) -> None:
    laptop = await make_artist(container, "Many Screens", user_agent="laptop")
    phone = await second_device(container, laptop, agent="phone")
    tablet = await second_device(container, laptop, agent="tablet")
    ids = {
        agent: container.tokens.verify_access(token).device_id
        for agent, token in (("laptop", laptop.token), ("phone", phone), ("tablet", tablet))
    }
    now = utcnow()
    async with container.db.transaction() as tx:
        for minutes, agent in ((1, "phone"), (2, "laptop"), (3, "tablet")):
            await tx.execute(
                update(Device)
                .where(Device.id == ids[agent])
                .values(last_used_at=now - timedelta(minutes=minutes))
            )
        await tx.execute(update(Device).where(Device.id == ids["tablet"]).values(revoked_at=now))

    body = (await client.get(ME, headers=laptop.headers)).json()
    assert [(d["userAgent"], d["current"]) for d in body["devices"]] == [
        ("phone", False),
        ("laptop", True),
    ]
    assert (await client.get(ME, headers=bearer(tablet))).status_code == 401


async def test_a_block_either_way_hides_the_profile_from_that_viewer_only(
    client: httpx.AsyncClient, container: Container
) -> None:
    ana = await make_artist(container, "Ana Hidden")
    bo = await make_artist(container, "Bo Hidden")
    cy = await make_artist(container, "Cy Sees")
    assert (await client.post(f"/api/users/{bo.user.id}/block", headers=ana.headers)).is_success

    for viewer, target in ((bo, ana), (ana, bo)):
        hidden = await client.get(f"/api/users/{target.user.id}", headers=viewer.headers)
        assert hidden.status_code == 404
        assert hidden.json()["error"]["code"] == "user_not_found"
    assert (await client.get(f"/api/users/{ana.user.id}")).status_code == 200
    assert (await client.get(f"/api/users/{ana.user.id}", headers=cy.headers)).status_code == 200
    assert (await client.get(f"/api/users/{ana.user.id}", headers=ana.headers)).status_code == 200


async def test_alerts_start_at_the_later_of_the_sign_in_and_the_acknowledgement(
    client: httpx.AsyncClient, container: Container
) -> None:
    laptop = await make_artist(container, "Cut Off", user_agent="laptop")
    phone = bearer(await second_device(container, laptop, agent="phone"))
    phone_id = container.tokens.verify_access(phone["Authorization"][7:]).device_id
    async with container.db.transaction() as tx:
        signed_in = await tx.scalar(select(Device.created_at).where(Device.id == phone_id))
        assert signed_in is not None
        for n, seconds in enumerate((-60, 10, 30)):
            entry = record_security_event(tx, laptop.user.id, "password_changed", details={"n": n})
            entry.created_at = signed_in + timedelta(seconds=seconds)
        # acknowledged before the sign-in existed: the sign-in's own start still counts
        await tx.execute(
            insert(SecurityAck).values(device_id=phone_id, seen_at=signed_in - timedelta(hours=1))
        )

    async def seen() -> list[int]:
        body = (await client.get(ME, headers=phone)).json()
        return [alert["details"]["n"] for alert in body["securityAlerts"]]

    assert await seen() == [2, 1]
    async with container.db.transaction() as tx:
        await tx.execute(
            update(SecurityAck)
            .where(SecurityAck.device_id == phone_id)
            .values(seen_at=signed_in + timedelta(seconds=20))
        )
    assert await seen() == [2]


async def test_principal_has_every_column_of_the_user_and_the_device(
    container: Container,
) -> None:
    artist = await make_artist(container, "Whole Row")
    claims = container.tokens.verify_access(artist.token)
    principal = await container.users.authenticate(claims)
    assert principal is not None
    async with container.db.transaction() as tx:
        user = await tx.get(User, artist.user.id)
        device = await tx.get(Device, claims.device_id)
    assert user is not None
    assert device is not None
    for loaded, built in ((user, principal.user), (device, principal.device)):
        for column in type(loaded).__table__.columns:
            assert getattr(built, column.key) == getattr(loaded, column.key), column.key
    assert principal.authenticated_at == claims.authenticated_at


async def test_me_of_an_account_deleted_after_its_token_was_checked_is_404(
    container: Container,
) -> None:
    artist = await make_artist(container, "Gone Soon")
    principal = await container.users.authenticate(container.tokens.verify_access(artist.token))
    assert principal is not None
    async with container.db.transaction() as tx:
        await tx.execute(delete(User).where(User.id == artist.user.id))
    with pytest.raises(UserNotFound):
        await container.profiles.me(principal)
