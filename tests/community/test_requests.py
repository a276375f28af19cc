"""Collaboration requests: ask, accept, decline, withdraw, and the collaborators lists."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from notalabel.community.events import (
    CollaborationAccepted,
    CollaborationDeclined,
    CollaborationRequested,
)
from notalabel.container import Container
from notalabel.events import Event
from tests.users.factories import Artist, make_artist

REQUESTS = "/api/community/collaboration-requests"


def ask_path(artist: str) -> str:
    """The request route for an artist id or name."""
    return f"/api/community/collaborations/{artist}/request"


async def ask(
    client: httpx.AsyncClient, who: Artist, whom: str, message: str | None = None
) -> httpx.Response:
    """POST a request, with a body only when there is a message."""
    body = None if message is None else {"message": message}
    return await client.post(ask_path(whom), headers=who.headers, json=body)


async def collaborator_names(client: httpx.AsyncClient, artist: str, **kw: Any) -> list[str]:
    """The names on an artist's collaborators list."""
    response = await client.get(f"/api/users/{artist}/collaborators", **kw)
    assert response.status_code == 200, response.text
    return [item["artistName"] for item in response.json()["items"]]


def record(container: Container) -> list[Event]:
    """Every collaboration event published from now on."""
    seen: list[Event] = []

    async def keep(event: Event) -> None:
        seen.append(event)

    for kind in (CollaborationRequested, CollaborationAccepted, CollaborationDeclined):
        container.bus.subscribe(kind, keep)
    return seen


async def test_ask_then_accept_lists_each_on_the_others_profile(
    client: httpx.AsyncClient, container: Container
) -> None:
    ana = await make_artist(container, "Ana Beats")
    bo = await make_artist(container, "Bo Waves", genre="jazz")
    events = record(container)

    asked = await ask(client, ana, "bo waves", "  Lo-fi meets jazz?  ")

    assert asked.status_code == 201, asked.text
    request = asked.json()
    assert request["status"] == "pending"
    assert request["message"] == "Lo-fi meets jazz?"
    assert request["requester"] == {"id": ana.user.id, "artistName": "Ana Beats"}
    assert request["recipient"] == {"id": bo.user.id, "artistName": "Bo Waves"}
    lists = (await client.get(REQUESTS, headers=bo.headers)).json()
    assert [r["id"] for r in lists["incoming"]] == [request["id"]]
    assert lists["outgoing"] == []
    mine = (await client.get(REQUESTS, headers=ana.headers)).json()
    assert [r["id"] for r in mine["outgoing"]] == [request["id"]]

    accepted = await client.post(f"{REQUESTS}/{request['id']}/accept", headers=bo.headers)

    assert accepted.status_code == 200
    assert accepted.json()["status"] == "accepted"
    assert accepted.json()["answeredAt"] is not None
    assert await collaborator_names(client, ana.user.id) == ["Bo Waves"]
    assert await collaborator_names(client, "Bo Waves") == ["Ana Beats"]
    assert await collaborator_names(client, "me", headers=ana.headers) == ["Bo Waves"]
    assert (await client.get(REQUESTS, headers=bo.headers)).json()["incoming"] == []
    assert [type(e) for e in events] == [CollaborationRequested, CollaborationAccepted]
    assert events[1] == CollaborationAccepted(
        request_id=request["id"], requester_id=ana.user.id, recipient_id=bo.user.id,
        occurred_at=events[1].occurred_at,
    )  # fmt: skip
    # collaborators already: no second request either way
    again = await ask(client, bo, ana.user.id)
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "collaboration_conflict"


async def test_one_open_request_per_pair_whoever_asks(
    client: httpx.AsyncClient, container: Container
) -> None:
    ana = await make_artist(container, "Ana Beats")
    bo = await make_artist(container, "Bo Waves")
    assert (await ask(client, ana, bo.user.id)).status_code == 201
    assert (await ask(client, ana, bo.user.id)).status_code == 409
    assert (await ask(client, bo, ana.user.id)).status_code == 409


async def test_asking_each_other_at_the_same_moment_gives_one_request(
    client: httpx.AsyncClient, container: Container
) -> None:
    ana = await make_artist(container, "Ana Beats")
    bo = await make_artist(container, "Bo Waves")
    answers = await asyncio.gather(*(
        ask(client, a, b.user.id) for a, b in [(ana, bo), (bo, ana)] * 4
    ))  # fmt: skip
    assert sorted(r.status_code for r in answers) == [201] + [409] * 7
    open_ = (await client.get(REQUESTS, headers=ana.headers)).json()
    assert len(open_["incoming"]) + len(open_["outgoing"]) == 1


async def test_decline_and_withdraw_close_the_request_and_allow_a_new_one(
    client: httpx.AsyncClient, container: Container
) -> None:
    ana = await make_artist(container, "Ana Beats")
    bo = await make_artist(container, "Bo Waves")
    events = record(container)
    first = (await ask(client, ana, bo.user.id)).json()
    declined = await client.post(f"{REQUESTS}/{first['id']}/decline", headers=bo.headers)
    assert declined.json()["status"] == "declined"
    assert [type(e) for e in events] == [CollaborationRequested, CollaborationDeclined]
    # answered once: no second answer
    late = await client.post(f"{REQUESTS}/{first['id']}/accept", headers=bo.headers)
    assert late.status_code == 409

    second = (await ask(client, ana, bo.user.id)).json()
    withdrawn = await client.delete(f"{REQUESTS}/{second['id']}", headers=ana.headers)
    assert withdrawn.json()["status"] == "withdrawn"
    assert (await ask(client, bo, ana.user.id)).status_code == 201
    assert await collaborator_names(client, ana.user.id) == []


async def test_only_the_asked_artist_answers_and_only_the_asker_withdraws(
    client: httpx.AsyncClient, container: Container
) -> None:
    ana = await make_artist(container, "Ana Beats")
    bo = await make_artist(container, "Bo Waves")
    cy = await make_artist(container, "Cy Drums")
    request = (await ask(client, ana, bo.user.id)).json()
    accept = f"{REQUESTS}/{request['id']}/accept"

    assert (await client.post(accept, headers=ana.headers)).status_code == 403
    assert (
        await client.delete(f"{REQUESTS}/{request['id']}", headers=bo.headers)
    ).status_code == 403
    # a third artist cannot even tell the request exists
    assert (await client.post(accept, headers=cy.headers)).status_code == 404
    assert (await client.post(f"{REQUESTS}/col_nope/accept", headers=bo.headers)).status_code == 404
    assert (await client.post(accept)).status_code == 401
    assert (await client.post(accept, headers=bo.headers)).json()["status"] == "accepted"


async def test_blocks_forbid_asking_and_answering_and_hide_the_collaboration(
    client: httpx.AsyncClient, container: Container
) -> None:
    ana = await make_artist(container, "Ana Beats")
    bo = await make_artist(container, "Bo Waves")
    cy = await make_artist(container, "Cy Drums")
    pending = (await ask(client, ana, cy.user.id)).json()
    joined = (await ask(client, ana, bo.user.id)).json()
    await client.post(f"{REQUESTS}/{joined['id']}/accept", headers=bo.headers)

    await container.social.block(bo.user.id, ana.user.id)
    await container.social.block(ana.user.id, cy.user.id)

    blocked_ask = await ask(client, bo, ana.user.id)
    assert blocked_ask.status_code == 403
    assert blocked_ask.json()["error"]["code"] == "collaboration_forbidden"
    assert (await ask(client, ana, bo.user.id)).status_code == 403
    answer = await client.post(f"{REQUESTS}/{pending['id']}/accept", headers=cy.headers)
    assert answer.status_code == 403
    assert await collaborator_names(client, ana.user.id) == []
    # the blocked viewer cannot see the blocker's collaborators at all
    hidden = await client.get(f"/api/users/{bo.user.id}/collaborators", headers=ana.headers)
    assert hidden.status_code == 404


@pytest.mark.parametrize(
    ("whom", "body", "status"),
    [
        ("self", None, 422),
        ("nobody-here", None, 404),
        ("other", {"message": "x" * 501}, 422),
        ("other", {"message": "hi\u0000"}, 422),
        ("other", {"message": 5}, 422),
        ("other", {"note": "hi"}, 422),
    ],
)
async def test_bad_requests_are_4xx_in_the_error_shape(
    client: httpx.AsyncClient, container: Container, whom: str, body: Any, status: int
) -> None:
    ana = await make_artist(container, "Ana Beats")
    bo = await make_artist(container, "Bo Waves")
    target = {"self": ana.user.id, "other": bo.user.id}.get(whom, whom)
    response = await client.post(ask_path(target), headers=ana.headers, json=body)
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"]
    assert (await client.get(REQUESTS, headers=ana.headers)).json()["outgoing"] == []


async def test_a_deleted_account_takes_its_requests_and_collaborations_along(
    client: httpx.AsyncClient, container: Container
) -> None:
    ana = await make_artist(container, "Ana Beats")
    bo = await make_artist(container, "Bo Waves")
    cy = await make_artist(container, "Cy Drums")
    joined = (await ask(client, ana, bo.user.id)).json()
    await client.post(f"{REQUESTS}/{joined['id']}/accept", headers=bo.headers)
    await ask(client, cy, ana.user.id)

    await container.erasure.delete(ana.user.id)

    assert await collaborator_names(client, bo.user.id) == []
    assert (await client.get(REQUESTS, headers=cy.headers)).json()["outgoing"] == []
