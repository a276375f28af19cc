"""What a notification says, from its kind, its actors and its subject: no I/O."""

from __future__ import annotations

from collections.abc import Sequence

from notalabel.notifications.models import Kind

# the preference (users' notification settings) that turns each kind on or off
SETTING = {
    Kind.PATTERN_LIKED: "patternLikes",
    Kind.PATTERN_COMMENTED: "patternLikes",
    Kind.PATTERN_REMIXED: "patternLikes",
    Kind.NEW_FOLLOWER: "newFollowers",
    Kind.COLLABORATION_REQUESTED: "collaborationRequests",
    Kind.COLLABORATION_ACCEPTED: "collaborationRequests",
}

_ACTION = {
    Kind.PATTERN_LIKED: "liked {subject}",
    Kind.PATTERN_COMMENTED: "commented on {subject}",
    Kind.PATTERN_REMIXED: "remixed {subject}",
    Kind.NEW_FOLLOWER: "started following you",
    Kind.COLLABORATION_REQUESTED: "asked to collaborate with you",
    Kind.COLLABORATION_ACCEPTED: "accepted your collaboration request",
}


def who(names: Sequence[str], count: int) -> str:
    """'A', 'A and B', 'A and 49 others' ('Someone' when every named actor is gone)."""
    if not names:
        return "Someone" if count <= 1 else f"{count} artists"
    first = names[0]
    others = count - 1
    if others <= 0:
        return first
    if others == 1 and len(names) > 1:
        return f"{first} and {names[1]}"
    return f"{first} and {others} other" + ("" if others == 1 else "s")


def message(kind: Kind, names: Sequence[str], count: int, title: str | None) -> str:
    """The sentence shown for a notification, e.g. 'DreamyBeats and 49 others liked “Night”'."""
    subject = f"“{title}”" if title is not None else "a deleted pattern"
    return f"{who(names, count)} {_ACTION[kind].format(subject=subject)}"
