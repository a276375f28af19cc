"""Builds the services one application instance uses, from settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

from notalabel.auth.email_verification import EmailVerificationService
from notalabel.auth.export import sign_in_state_for_export
from notalabel.auth.security_feed import export_for as security_events_for_export
from notalabel.auth.service import AuthService
from notalabel.community.cache import MemoryMatchCache, RedisMatchCache
from notalabel.community.requests import CollaborationRequests
from notalabel.community.service import CommunityService
from notalabel.config import Settings
from notalabel.db import Database
from notalabel.discovery.service import DiscoveryService
from notalabel.engagement.erasure import engagement_for_export, erase_engagement
from notalabel.engagement.service import EngagementService, listener_key
from notalabel.events import MessageBus
from notalabel.events.deadletters import DeadLetterStore, StreamDeadLetters, TableDeadLetters
from notalabel.events.erasure import erase_events, forget_streamed_events
from notalabel.events.relay import OutboxRelay
from notalabel.events.streams import EventStreams
from notalabel.generation.service import GenerationService
from notalabel.identity.events import IdentityCreated
from notalabel.identity.handlers import subscribe_identity_handlers
from notalabel.identity.service import IdentityService
from notalabel.mail import Mailer, build_mailer
from notalabel.notifications.handlers import NotificationHandlers
from notalabel.notifications.service import NotificationService
from notalabel.passkeys.service import PasskeyService, passkeys_for_export
from notalabel.patterns.events import SignaturePatternChanged
from notalabel.patterns.library import PatternLibrary
from notalabel.patterns.versions import versions_for_export
from notalabel.ratelimit import RateLimiter, build_rate_limiter
from notalabel.realtime.fanout import Fanout, LocalFanout, RedisFanout
from notalabel.realtime.handlers import CounterPushes
from notalabel.realtime.hub import Hub
from notalabel.security import TokenService
from notalabel.social.events import UserBlocked, UserUnblocked
from notalabel.social.service import SocialService
from notalabel.users.achievements import AchievementHandlers
from notalabel.users.erasure import AccountErasure
from notalabel.users.events import ArtistRenamed, ProfileUpdated, UserDeleted
from notalabel.users.profiles import ProfileService
from notalabel.users.service import UserService
from notalabel.voice.login import VoiceLogin
from notalabel.voice.sealing import VoiceprintSeal
from notalabel.voice.service import VoiceSignatures, erase_voice_data, voice_for_export


@dataclass
class Container:
    """Everything a request handler may need, wired once at start-up."""

    settings: Settings
    db: Database
    redis: Redis | None
    bus: MessageBus
    relay: OutboxRelay
    tokens: TokenService
    identity: IdentityService
    auth: AuthService
    mailer: Mailer
    email_verification: EmailVerificationService
    profiles: ProfileService
    erasure: AccountErasure
    users: UserService
    generation: GenerationService
    social: SocialService
    passkeys: PasskeyService
    discovery: DiscoveryService
    community: CommunityService
    collaboration_requests: CollaborationRequests
    patterns: PatternLibrary
    engagement: EngagementService
    notifications: NotificationService
    voice: VoiceSignatures
    voice_login: VoiceLogin
    hub: Hub
    fanout: Fanout
    rate_limiter: RateLimiter | None = None

    async def close(self) -> None:
        """Release connections."""
        await self.db.dispose()
        if self.redis is not None:
            await self.redis.aclose()
        if self.rate_limiter is not None:
            await self.rate_limiter.close()
        if isinstance(self.fanout, RedisFanout):
            await self.fanout.close()


def dead_letter_store(settings: Settings, db: Database, redis: Redis | None) -> DeadLetterStore:
    """Where the settings park dead letters: the Redis stream's, or the outbox table's."""
    if redis is not None:
        return StreamDeadLetters(redis, settings.events_stream)
    return TableDeadLetters(db)


def connect_redis(url: str, timeout: float | None) -> Redis:
    """A Redis client that gives up fast: a hung Redis must not hang requests."""
    return Redis.from_url(
        url,
        socket_timeout=timeout,
        socket_connect_timeout=timeout,
        # one immediate retry covers a connection the server closed while idle; the
        # default (three, with exponential backoff) could stall a request for seconds
        retry=Retry(NoBackoff(), 1),
    )


def build_container(settings: Settings, db: Database | None = None) -> Container:
    """Wire the services for `settings` (a database may be passed in by tests)."""
    database = db or Database(
        settings.effective_database_url, pool_size=settings.database_pool_size
    )
    redis = (
        connect_redis(settings.redis_url, settings.redis_timeout_seconds)
        if settings.redis_url
        else None
    )
    bus = MessageBus()
    streams = (
        EventStreams(
            redis, bus, stream=settings.events_stream, max_attempts=settings.events_max_attempts,
            retry_base=timedelta(seconds=settings.events_retry_seconds),
        )
        if redis is not None
        else None
    )  # fmt: skip
    relay = OutboxRelay(
        database, bus, streams=streams, max_attempts=settings.events_max_attempts,
        retry_base=timedelta(seconds=settings.events_retry_seconds),
    )  # fmt: skip
    if streams is not None:
        bus.subscribe(UserDeleted, forget_streamed_events(streams), name="events.forget_streamed")
    subscribe_identity_handlers(bus)
    tokens = TokenService(
        settings.signing_secret,
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        access_ttl=timedelta(minutes=settings.access_token_minutes),
        refresh_ttl=timedelta(days=settings.refresh_token_days),
    )
    mailer = build_mailer(settings)
    emails = EmailVerificationService(database, mailer, bus, settings)
    erasure = AccountErasure(database, bus)
    erasure.add_export_section("securityEvents", security_events_for_export)
    erasure.add_export_section("signIn", sign_in_state_for_export)
    erasure.add_export_section("passkeys", passkeys_for_export)
    erasure.add_export_section("patternVersions", versions_for_export)
    erasure.add_export_section("engagement", engagement_for_export)
    erasure.add_erasure_step(erase_engagement)
    erasure.add_erasure_step(erase_events)
    erasure.add_export_section("voiceSignature", voice_for_export)
    erasure.add_erasure_step(erase_voice_data)
    seal = VoiceprintSeal(settings.voiceprint_key_bytes, settings.voiceprint_retired_key_bytes)
    community = CommunityService(
        database, RedisMatchCache(redis) if redis is not None else MemoryMatchCache()
    )
    bus.subscribe(IdentityCreated, community.artist_joined)
    bus.subscribe(UserDeleted, community.artist_left)
    for changed in (SignaturePatternChanged, ProfileUpdated, ArtistRenamed):
        bus.subscribe(changed, community.card_changed)
    bus.subscribe(UserBlocked, community.block_changed)
    bus.subscribe(UserUnblocked, community.block_changed)
    hub = Hub()
    # production: every worker hears every push through Redis; the listener has a client of
    # its own, since it blocks on reads that the shared client's short timeout would cut off
    fanout: Fanout = LocalFanout(hub)
    if redis is not None and settings.redis_url:
        fanout = RedisFanout(hub, redis, connect_redis(settings.redis_url, timeout=None))
    # the counters first: a push costs less than recording a notification
    CounterPushes(fanout).subscribe(bus)
    NotificationHandlers(database, fanout.send_many).subscribe(bus)
    AchievementHandlers(database).subscribe(bus)
    return Container(
        settings=settings,
        db=database,
        redis=redis,
        bus=bus,
        relay=relay,
        tokens=tokens,
        identity=IdentityService(
            database,
            tokens,
            bus,
            timedelta(hours=settings.identity_session_hours),
            similar_artists=community.sounds_like,
        ),
        users=UserService(database),
        auth=AuthService(database, tokens, bus, settings, emails),
        mailer=mailer,
        email_verification=emails,
        profiles=ProfileService(database, bus),
        erasure=erasure,
        generation=GenerationService(),
        social=SocialService(database, bus),
        passkeys=PasskeyService(database, tokens, bus, settings),
        discovery=DiscoveryService(database),
        community=community,
        collaboration_requests=CollaborationRequests(database, bus),
        patterns=PatternLibrary(database, bus),
        notifications=NotificationService(database),
        voice=VoiceSignatures(database, bus, seal),
        voice_login=VoiceLogin(database, tokens, bus, seal),
        hub=hub,
        fanout=fanout,
        engagement=EngagementService(database, bus, listener_key(settings.signing_secret)),
        rate_limiter=build_rate_limiter(settings),
    )
