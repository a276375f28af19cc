"""Reading and editing artist profiles, and renaming."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Table,
    and_,
    bindparam,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import ScalarSelect

from notalabel.auth.security_feed import unseen_alerts
from notalabel.auth.security_schemas import SecurityEventOut
from notalabel.auth.service import device_out
from notalabel.db import Database, utcnow
from notalabel.events import MessageBus
from notalabel.identity.availability import available_suggestions, taken_name_keys
from notalabel.identity.naming import clean_name, name_key, name_problem
from notalabel.patterns.models import Pattern
from notalabel.social.service import blocked_between, followers_count, following_count, follows
from notalabel.users.events import ArtistRenamed, ProfileUpdated
from notalabel.users.exceptions import ArtistNameUnavailable, InvalidArtistName, UserNotFound
from notalabel.users.models import Device, User
from notalabel.users.schemas import Counts, MeOut, ProfileUpdate, PublicProfileOut, ViewerRelation
from notalabel.users.service import (
    BY_REF,
    USER_FIELDS,
    USERS,
    Principal,
    read_live_devices,
    ref_params,
    user_from_row,
)

HIDDEN = "No artist with that id or name."

_PATTERNS: Table = Pattern.__table__  # type: ignore[assignment]


def _counts_of(
    user_id: ColumnElement[str], shown: ColumnElement[bool] | None = None
) -> tuple[ScalarSelect[int], ...]:
    """Followers, following and patterns of `user_id`, likes and plays over their patterns.

    `shown` limits the patterns to those a visitor can see: a visitor learns nothing of an
    artist's private patterns; the artist's own view counts them all.
    """
    theirs = _PATTERNS.c.creator_id == user_id
    if shown is not None:
        theirs = and_(theirs, shown)
    patterns = select(func.count()).where(theirs).scalar_subquery()
    # correlated sums over the creator's patterns (ix_patterns_creator_created_id finds them)
    likes = select(func.coalesce(func.sum(_PATTERNS.c.likes), 0)).where(theirs).scalar_subquery()
    plays = select(func.coalesce(func.sum(_PATTERNS.c.plays), 0)).where(theirs).scalar_subquery()
    return followers_count(user_id), following_count(user_id), patterns, likes, plays


_COUNT_FIELDS = len(Counts.model_fields)


# built once: each read below is one statement, only its parameters change
_COUNTS = select(*_counts_of(bindparam("user_id")))
_ME = select(*USERS.c, *_counts_of(USERS.c.id)).where(USERS.c.id == bindparam("user_id"))
_PROFILES_AND_COUNTS = select(USERS.c.id, USERS.c.profile, *_counts_of(USERS.c.id)).where(
    USERS.c.id.in_(bindparam("user_ids", expanding=True))
)
_SHOWN_TO_ANYONE = _PATTERNS.c.is_public
_SHOWN_TO_VIEWER = or_(_PATTERNS.c.is_public, _PATTERNS.c.creator_id == bindparam("viewer"))
_PUBLIC = select(*USERS.c, *_counts_of(USERS.c.id, _SHOWN_TO_ANYONE)).where(BY_REF).limit(1)
_PUBLIC_TO_VIEWER = (
    select(
        *USERS.c,
        *_counts_of(USERS.c.id, _SHOWN_TO_VIEWER),
        follows(bindparam("viewer"), USERS.c.id),
        blocked_between(USERS.c.id, bindparam("viewer")),
    )
    .where(BY_REF)
    .limit(1)
)


@dataclass(frozen=True, slots=True)
class _MeRead:
    user: User
    counts: Counts
    devices: list[Device]
    alerts: list[SecurityEventOut]


def _read_me(conn: Connection, user_id: str, device: Device) -> _MeRead | None:
    row = conn.execute(_ME, {"user_id": user_id}).first()
    if row is None:
        return None
    user, counts = _user_and_counts(row)
    devices = read_live_devices(conn, user_id)
    alerts = unseen_alerts(conn, user_id, device.id, device.created_at)
    return _MeRead(user, counts, devices, alerts)


_Public = tuple[User, Counts, ViewerRelation | None]


def _read_public(conn: Connection, ref: str, viewer_id: str | None) -> _Public | None:
    if not viewer_id:
        row = conn.execute(_PUBLIC, ref_params(ref)).first()
        return None if row is None else (*_user_and_counts(row), None)
    row = conn.execute(_PUBLIC_TO_VIEWER, {**ref_params(ref), "viewer": viewer_id}).first()
    if row is None or row[-1]:
        return None
    user, counts = _user_and_counts(row)
    return user, counts, ViewerRelation(is_self=user.id == viewer_id, following=bool(row[-2]))


def _user_and_counts(row: Sequence[Any]) -> tuple[User, Counts]:
    split = len(USER_FIELDS)
    return user_from_row(row[:split]), _counts(row[split : split + _COUNT_FIELDS])


def read_counts(conn: Connection, user_id: str) -> Counts:
    """The artist's counts as their own profile shows them (private patterns included)."""
    return _counts(conn.execute(_COUNTS, {"user_id": user_id}).one())


def read_profiles_and_counts(
    conn: Connection, user_ids: Sequence[str]
) -> dict[str, tuple[dict[str, Any], Counts]]:
    """Each artist's stored profile document and own counts, in one statement (gone: left out)."""
    if not user_ids:
        return {}
    found = conn.execute(_PROFILES_AND_COUNTS, {"user_ids": list(user_ids)})
    return {row[0]: (dict(row[1] or {}), _counts(row[2:])) for row in found}


def _counts(values: Sequence[Any]) -> Counts:
    followers, following, patterns, likes, plays = values
    return Counts(
        followers=followers,
        following=following,
        patterns=patterns,
        likes_received=int(likes),
        plays=int(plays),
    )


async def load_me(tx: AsyncSession, user: User, current_device_id: str | None) -> MeOut:
    """The owner's view of an account, read inside the caller's transaction."""

    def read(session: Session) -> tuple[list[Device], Counts]:
        conn = session.connection()
        return read_live_devices(conn, user.id), read_counts(conn, user.id)

    devices, counts = await tx.run_sync(read)
    return me_view(user, devices, counts, current_device_id)


def new_account_me(user: User, device: Device) -> MeOut:
    """The owner's view of an account just created with its signature and first sign-in."""
    return me_view(
        user,
        [device],
        Counts(followers=0, following=0, patterns=1, likes_received=0, plays=0),
        device.id,
    )


def me_view(
    user: User, devices: list[Device], counts: Counts, current_device_id: str | None
) -> MeOut:
    """The owner's view of an account from what was read of it."""
    return MeOut(
        **_public_fields(user, counts),
        email=user.email,
        has_password=user.password_hash is not None,
        preferences=user.preferences,
        devices=[device_out(d, current=d.id == current_device_id) for d in devices],
        login_method=user.login_method,
        last_login_at=user.last_login_at,
    )


def public_view(
    user: User, counts: Counts, viewer: ViewerRelation | None = None
) -> PublicProfileOut:
    """What anyone may see of an account, with the caller's relation to it when signed in."""
    return PublicProfileOut(**_public_fields(user, counts), viewer=viewer)


def _public_fields(user: User, counts: Counts) -> dict[str, Any]:
    # shared by both views: MeOut is built from these directly, not from a dumped
    # PublicProfileOut validated a second time
    profile = user.profile
    return {
        "id": user.id,
        "artist_name": user.artist_name,
        "bio": profile.get("bio"),
        "avatar": profile.get("avatar"),
        "location": profile.get("location"),
        "website": profile.get("website"),
        "social_links": profile.get("socialLinks") or {},
        "music_dna": user.music_dna,
        "signature_pattern": user.signature_pattern,
        "counts": counts,
        "achievements": profile.get("achievements") or [],
        "joined_at": user.created_at,
    }


class ProfileService:
    """Profiles: public view, own view, edits and renames."""

    def __init__(self, db: Database, bus: MessageBus) -> None:
        self._db = db
        self._bus = bus

    async def public(self, ref: str, viewer_id: str | None) -> PublicProfileOut:
        """An artist by id or name; hidden (404) from users they blocked or who blocked them."""
        found = await self._db.read(lambda conn: _read_public(conn, ref, viewer_id))
        if found is None:
            raise UserNotFound(HIDDEN)
        return public_view(*found)

    async def me(self, principal: Principal) -> MeOut:
        """The caller's own profile with private fields."""
        user_id, device = principal.user.id, principal.device
        found = await self._db.read(lambda conn: _read_me(conn, user_id, device))
        if found is None:
            raise UserNotFound(HIDDEN)
        me = me_view(found.user, found.devices, found.counts, device.id)
        me.security_alerts = found.alerts
        return me

    async def update(self, principal: Principal, change: ProfileUpdate) -> MeOut:
        """Apply the fields sent; nothing else changes."""
        fields = tuple(sorted(change.model_dump(by_alias=True, exclude_unset=True)))
        updated = [ProfileUpdated(user_id=principal.user.id, fields=fields)]
        async with self._db.transaction() as tx:
            # locked: an achievement awarded meanwhile (users/achievements.py) is not lost
            user = await tx.get(User, principal.user.id, with_for_update=True)
            if user is None:
                raise UserNotFound(HIDDEN)
            user.profile = _merged_profile(user.profile, change)
            if change.preferences is not None:
                sent = change.preferences.model_dump(
                    mode="json", by_alias=True, exclude_unset=True, exclude_none=True
                )
                user.preferences = _deep_merge(user.preferences, sent)
            user.updated_at = utcnow()
            result = await load_me(tx, user, principal.device.id)
            await self._bus.stage_in(tx, updated)
        await self._bus.deliver(updated)
        return result

    async def rename(self, principal: Principal, raw: str) -> MeOut:
        """Take a new artist name under the onboarding's rules."""
        name = clean_name(raw)
        problem = name_problem(name)
        if problem is not None:
            raise InvalidArtistName(
                problem.message, details=[{"field": "artistName", "message": problem.message}]
            )
        key = name_key(name)
        user_id = principal.user.id
        old_name = principal.user.artist_name
        renamed = [ArtistRenamed(user_id=user_id, old_name=old_name, new_name=name)]
        try:
            async with self._db.transaction() as tx:
                taken = await tx.run_sync(
                    lambda session: taken_name_keys(
                        session.connection(), [key], except_user=user_id
                    )
                )
                if key in taken:
                    raise await _unavailable(tx, name, user_id, principal.user.music_dna)
                await tx.execute(
                    update(User)
                    .where(User.id == user_id)
                    .values(artist_name=name, artist_name_key=key, updated_at=utcnow())
                )
                user = await tx.get(User, user_id, populate_existing=True)
                if user is None:
                    raise UserNotFound(HIDDEN)
                result = await load_me(tx, user, principal.device.id)
                await self._bus.stage_in(tx, renamed)
        except IntegrityError:
            async with self._db.transaction() as tx:
                raise await _unavailable(tx, name, user_id, principal.user.music_dna) from None
        await self._bus.deliver(renamed)
        return result


async def _unavailable(
    tx: AsyncSession, name: str, user_id: str, dna: dict[str, Any]
) -> ArtistNameUnavailable:
    suggestions = await tx.run_sync(
        lambda session: available_suggestions(
            session.connection(),
            name,
            dna.get("primaryGenre"),
            dna.get("preferredMood"),
            except_user=user_id,
        )
    )
    return ArtistNameUnavailable(
        f'"{name}" is taken. How about: {", ".join(suggestions)}?',
        details={"suggestions": suggestions},
    )


def _merged_profile(profile: dict[str, Any], change: ProfileUpdate) -> dict[str, Any]:
    merged = dict(profile)
    for field in ("bio", "avatar", "location", "website"):
        if field in change.model_fields_set:
            merged[field] = getattr(change, field)
    if change.social_links is not None:
        links = dict(merged.get("socialLinks") or {})
        for network, value in change.social_links.model_dump(exclude_unset=True).items():
            if value is None:
                links.pop(network, None)
            else:
                links[network] = value
        merged["socialLinks"] = links
    elif "social_links" in change.model_fields_set:
        merged["socialLinks"] = {}
    return merged


def _deep_merge(current: dict[str, Any], sent: dict[str, Any]) -> dict[str, Any]:
    merged = dict(current)
    for key, value in sent.items():
        is_section = isinstance(value, dict)
        merged[key] = _deep_merge(merged.get(key) or {}, value) if is_section else value
    return merged
