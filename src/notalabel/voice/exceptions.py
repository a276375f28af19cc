"""What can go wrong with recordings, voice signatures and voice login."""

from notalabel.errors import Conflict, Forbidden, InvalidInput, NotFound, Unauthorized

# one answer for every failed voice login, so it never tells who exists, who has a voiceprint
# or which check failed
VOICE_NOT_RECOGNIZED = "Voice not recognized. Try again or use text login."


class AudioProblem(InvalidInput):
    """A recording that cannot be used; the message says what to do about it."""

    code = "audio_rejected"


class UnsupportedAudio(AudioProblem):
    """Not WAV, FLAC or OGG audio."""

    status = 415
    code = "audio_unsupported"


class AudioTooLarge(AudioProblem):
    """More bytes than one recording may have."""

    status = 413
    code = "audio_too_large"


class AudioTooShort(AudioProblem):
    """Under a second: too little to know a voice by."""

    code = "audio_too_short"


class AudioTooLong(AudioProblem):
    """Over ten seconds."""

    code = "audio_too_long"


class AudioSilent(AudioProblem):
    """No voice could be heard."""

    code = "audio_silent"


class AudioClipped(AudioProblem):
    """The input was overdriven."""

    code = "audio_clipped"


class AudioMissing(AudioProblem):
    """The request carried no recording, or the wrong number of them."""

    code = "audio_missing"


class SamplesDisagree(InvalidInput):
    """Enrolment samples that do not sound like one speaker, or too weak to enrol."""

    code = "voice_samples_disagree"


class VoiceAuthDisabled(Forbidden):
    """The artist has not turned on voice login in their preferences."""

    code = "voice_auth_disabled"


class NoVoiceSignature(NotFound):
    """The artist has no voice signature."""

    code = "voice_signature_not_found"


class HummingUnavailable(Conflict):
    """Humming needs a melody in the signature pattern."""

    code = "voice_humming_unavailable"


class VoiceNotRecognized(Unauthorized):
    """A voice login failed: one answer whatever the reason."""

    code = "voice_not_recognized"


class HummingRequired(Unauthorized):
    """The voice matched and this artist also asks for their hummed melody."""

    code = "voice_humming_required"


class VoiceChallengeExpired(Unauthorized):
    """The challenge is unknown, used or more than two minutes old."""

    code = "voice_challenge_expired"


class VoiceReplay(VoiceNotRecognized):
    """A recording that is a near-exact copy of an earlier one; answered like any failure."""
