"""Which artist names are free: not an account's and not held by a live onboarding.

Core statements on a plain connection: run inside `Database.run`, or from an ORM
transaction through `await tx.run_sync(lambda s: taken_name_keys(s.connection(), ...))`.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from sqlalchemy import CompoundSelect, bindparam, select, union_all
from sqlalchemy.engine import Connection

from notalabel.db import UTCDateTime, utcnow
from notalabel.identity.models import IdentitySession
from notalabel.identity.naming import name_key, suggestion_candidates
from notalabel.users.models import User

SUGGESTION_COUNT = 3


def taken_name_keys(
    conn: Connection,
    keys: Sequence[str],
    *,
    except_session: str | None = None,
    except_user: str | None = None,
) -> set[str]:
    """The keys among `keys` held by an account or reserved by another live session."""
    if not keys:
        return set()
    query = _holders(except_user is not None, except_session is not None)
    params = {
        "keys": list(keys),
        "now": utcnow(),
        "except_user": except_user,
        "except_session": except_session,
    }
    return {key for key in conn.scalars(query, params) if key}


@cache
def _holders(except_user: bool, except_session: bool) -> CompoundSelect[Any]:
    """Accounts' and live sessions' keys in one query, built once per shape."""
    users = select(User.artist_name_key).where(
        User.artist_name_key.in_(bindparam("keys", expanding=True))
    )
    if except_user:
        users = users.where(User.id != bindparam("except_user"))
    sessions = select(IdentitySession.tentative_name_key).where(
        IdentitySession.tentative_name_key.in_(bindparam("keys", expanding=True)),
        IdentitySession.completed.is_(False),
        IdentitySession.expires_at > bindparam("now", type_=UTCDateTime()),
    )
    if except_session:
        sessions = sessions.where(IdentitySession.id != bindparam("except_session"))
    return union_all(users, sessions)


def available_suggestions(
    conn: Connection,
    name: str,
    genre: str | None,
    mood: str | None,
    *,
    except_session: str | None = None,
    except_user: str | None = None,
) -> list[str]:
    """Up to three free names built from `name` and the artist's genre and mood."""
    candidates = suggestion_candidates(name, genre, mood)
    taken = taken_name_keys(
        conn,
        [name_key(c) for c in candidates],
        except_session=except_session,
        except_user=except_user,
    )
    return [c for c in candidates if name_key(c) not in taken][:SUGGESTION_COUNT]
