"""Which artist names are free: not an account's and not held by a live onboarding."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from notalabel.db import utcnow
from notalabel.identity.models import IdentitySession
from notalabel.identity.naming import name_key, suggestion_candidates
from notalabel.users.models import User

SUGGESTION_COUNT = 3


async def taken_name_keys(
    tx: AsyncSession,
    keys: Sequence[str],
    *,
    except_session: str | None = None,
    except_user: str | None = None,
) -> set[str]:
    """The keys among `keys` held by an account or reserved by another live session."""
    users = select(User.artist_name_key).where(User.artist_name_key.in_(keys))
    if except_user is not None:
        users = users.where(User.id != except_user)
    sessions = select(IdentitySession.tentative_name_key).where(
        IdentitySession.tentative_name_key.in_(keys),
        IdentitySession.completed.is_(False),
        IdentitySession.expires_at > utcnow(),
    )
    if except_session is not None:
        sessions = sessions.where(IdentitySession.id != except_session)
    held = set(await tx.scalars(users))
    return held | {key for key in await tx.scalars(sessions) if key}


async def available_suggestions(
    tx: AsyncSession,
    name: str,
    genre: str | None,
    mood: str | None,
    *,
    except_session: str | None = None,
    except_user: str | None = None,
) -> list[str]:
    """Up to three free names built from `name` and the artist's genre and mood."""
    candidates = suggestion_candidates(name, genre, mood)
    taken = await taken_name_keys(
        tx,
        [name_key(c) for c in candidates],
        except_session=except_session,
        except_user=except_user,
    )
    return [c for c in candidates if name_key(c) not in taken][:SUGGESTION_COUNT]
