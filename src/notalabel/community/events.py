"""Events of collaboration requests, for notifications."""

from __future__ import annotations

from dataclasses import dataclass

from notalabel.events import Event


@dataclass(frozen=True, kw_only=True)
class CollaborationRequested(Event):
    """An artist asked another to collaborate."""

    request_id: str
    requester_id: str
    recipient_id: str


@dataclass(frozen=True, kw_only=True)
class CollaborationAccepted(Event):
    """The asked artist said yes: the two are collaborators."""

    request_id: str
    requester_id: str
    recipient_id: str


@dataclass(frozen=True, kw_only=True)
class CollaborationDeclined(Event):
    """The asked artist said no."""

    request_id: str
    requester_id: str
    recipient_id: str
