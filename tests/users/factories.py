"""Artists made directly in the database, with a signed-in token."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from notalabel.container import Container
from notalabel.identity.naming import name_key
from notalabel.users.models import User
from notalabel.users.service import ClientInfo, new_artist, sign_in


@dataclass(frozen=True)
class Artist:
    """A user and the tokens of one device sign-in."""

    user: User
    token: str
    refresh_token: str

    @property
    def headers(self) -> dict[str, str]:
        """Authorization header for this artist."""
        return {"Authorization": f"Bearer {self.token}"}


async def make_artist(
    container: Container,
    name: str,
    *,
    genre: str = "lo-fi",
    mood: str = "chill",
    user_agent: str = "pytest",
    music_dna: dict[str, Any] | None = None,
) -> Artist:
    """Create an artist with a simple DNA (or `music_dna` as given) and sign them in."""
    async with container.db.transaction() as tx:
        user = new_artist(
            artist_name=name,
            name_key=name_key(name),
            music_dna=music_dna
            if music_dna is not None
            else {"primaryGenre": genre, "preferredMood": mood, "energyLevel": 5},
            signature_pattern={"genre": genre, "mood": mood},
            bio=f"Creating {genre} beats with {mood} vibes",
            collaboration_openness=5,
        )
        tx.add(user)
        await tx.flush()
        signed = await sign_in(
            tx, container.tokens, user, "musical_identity", ClientInfo(user_agent=user_agent)
        )
    return Artist(user, signed.access_token, signed.refresh_token)
