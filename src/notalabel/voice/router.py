"""Voice routes: enrol a voice signature, read, change and delete it, and log in by voice."""

from typing import Any

from fastapi import APIRouter, Request, Response, status
from fastapi.responses import JSONResponse

from notalabel.auth.schemas import TokensOut
from notalabel.deps import ClientDep, ContainerDep, CurrentPrincipal, RecentPrincipal
from notalabel.schemas import error_responses
from notalabel.voice.exceptions import AudioMissing
from notalabel.voice.schemas import (
    EnrolmentProgressOut,
    VoiceChallengeOut,
    VoiceChallengeRequest,
    VoiceSettingsChange,
    VoiceSignatureOut,
)
from notalabel.voice.uploads import read_upload

router = APIRouter(tags=["voice"])

_AUDIO = {"type": "string", "format": "binary"}
_RAW_AUDIO = {media: {"schema": _AUDIO} for media in ("audio/wav", "audio/flac", "audio/ogg")}


def _form(properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    multipart = {"schema": {"type": "object", "properties": properties, "required": required}}
    return {"requestBody": {"required": True, "content": {"multipart/form-data": multipart,
                                                          **_RAW_AUDIO}}}  # fmt: skip


@router.post(
    "/api/voice/enroll",
    status_code=status.HTTP_201_CREATED,
    response_model=VoiceSignatureOut,
    responses={
        202: {"model": EnrolmentProgressOut, "description": "more samples are needed"},
        **error_responses(401, 403, 413, 415, 422),
    },
    openapi_extra=_form({"sample": {"type": "array", "items": _AUDIO}}, ["sample"]),
)
async def enroll(
    request: Request, principal: RecentPrincipal, container: ContainerDep, client: ClientDep
) -> Any:
    """Send 3 voice samples (1-10 s each), together or one per request; re-enrolling replaces."""
    upload = await read_upload(request, raw_field="sample")
    result = await container.voice.enrol(principal, upload.files_named("sample", "samples"), client)
    if isinstance(result, EnrolmentProgressOut):
        return JSONResponse(
            result.model_dump(mode="json", by_alias=True), status_code=status.HTTP_202_ACCEPTED
        )
    return result


@router.get(
    "/api/voice/signature", response_model=VoiceSignatureOut, responses=error_responses(401, 404)
)
async def get_signature(principal: CurrentPrincipal, container: ContainerDep) -> VoiceSignatureOut:
    """The caller's voice signature: quality, settings and usage, never the voiceprint."""
    return await container.voice.signature(principal)


@router.patch(
    "/api/voice/signature",
    response_model=VoiceSignatureOut,
    responses=error_responses(401, 404, 409, 422),
)
async def change_signature(
    body: VoiceSettingsChange, principal: RecentPrincipal, container: ContainerDep
) -> VoiceSignatureOut:
    """Change the confidence threshold, the attempts allowed, or turn humming on or off."""
    return await container.voice.change(principal, body)


@router.delete(
    "/api/voice/signature",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(401, 404),
)
async def delete_signature(
    principal: RecentPrincipal, container: ContainerDep, client: ClientDep
) -> Response:
    """Delete the voiceprint and everything kept about the caller's recordings."""
    await container.voice.remove(principal, client)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/api/auth/voice/challenge", response_model=VoiceChallengeOut, responses=error_responses(422)
)
async def voice_challenge(
    body: VoiceChallengeRequest, container: ContainerDep
) -> VoiceChallengeOut:
    """Four digits to say within two minutes, the same answer whoever is named."""
    return await container.voice_login.challenge(body.artist_name)


@router.post(
    "/api/auth/voice/login",
    response_model=TokensOut,
    responses=error_responses(401, 413, 415, 422),
    openapi_extra=_form(
        {"challengeId": {"type": "string"}, "audio": _AUDIO, "hum": _AUDIO},
        ["challengeId", "audio"],
    ),
)
async def voice_login(
    request: Request, container: ContainerDep, client: ClientDep, challenge_id: str | None = None
) -> TokensOut:
    """Say the digits: tokens when the voice is the claimed artist's. Raw bodies name
    the challenge in ?challenge_id=."""
    upload = await read_upload(request, raw_field="audio")
    challenge = upload.fields.get("challengeId") or challenge_id
    audio, hum = upload.files_named("audio"), upload.files_named("hum")
    if not challenge or len(audio) != 1 or len(hum) > 1:
        raise AudioMissing("Send the challengeId and exactly one recording (the audio field).")
    return await container.voice_login.sign_in(
        challenge[:64], audio[0], hum[0] if hum else None, client
    )
