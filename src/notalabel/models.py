"""Imports every table so metadata and migrations see the whole schema."""

from notalabel.auth.models import EmailVerification, KnownClient, LoginLock
from notalabel.auth.recovery import RecoveryCode
from notalabel.auth.security_log import SecurityAck, SecurityEvent
from notalabel.community.models import CollaborationRequest
from notalabel.db import Base
from notalabel.engagement.models import Comment, CommentLike, PatternLike, PatternListen
from notalabel.identity.models import IdentitySession, SignatureFingerprint
from notalabel.notifications.models import Notification, NotificationActor
from notalabel.passkeys.models import Passkey, PasskeyChallenge, PasskeyUserHandle
from notalabel.patterns.models import Pattern, PatternVersion
from notalabel.social.models import Block, Follow
from notalabel.users.models import Device, RefreshToken, User
from notalabel.voice.models import (
    VoiceAttemptPrint,
    VoiceChallenge,
    VoiceEnrolmentSample,
    VoiceSignature,
)

__all__ = [
    "Base",
    "Block",
    "CollaborationRequest",
    "Comment",
    "CommentLike",
    "Device",
    "EmailVerification",
    "Follow",
    "IdentitySession",
    "KnownClient",
    "LoginLock",
    "Notification",
    "NotificationActor",
    "Passkey",
    "PasskeyChallenge",
    "PasskeyUserHandle",
    "Pattern",
    "PatternLike",
    "PatternListen",
    "PatternVersion",
    "RecoveryCode",
    "RefreshToken",
    "SecurityAck",
    "SecurityEvent",
    "SignatureFingerprint",
    "User",
    "VoiceAttemptPrint",
    "VoiceChallenge",
    "VoiceEnrolmentSample",
    "VoiceSignature",
]
