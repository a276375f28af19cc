"""Events of the social graph, published after the transaction commits."""

from dataclasses import dataclass

from notalabel.events import Event


@dataclass(frozen=True, kw_only=True)
class UserFollowed(Event):
    """`follower_id` started following `followee_id`."""

    follower_id: str
    followee_id: str


@dataclass(frozen=True, kw_only=True)
class UserUnfollowed(Event):
    """`follower_id` no longer follows `followee_id` (unfollowed, or removed by a block)."""

    follower_id: str
    followee_id: str


@dataclass(frozen=True, kw_only=True)
class UserBlocked(Event):
    """`blocker_id` blocked `blocked_id`."""

    blocker_id: str
    blocked_id: str


@dataclass(frozen=True, kw_only=True)
class UserUnblocked(Event):
    """`blocker_id` lifted their block of `blocked_id`."""

    blocker_id: str
    blocked_id: str
