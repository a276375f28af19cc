"""Onboarding routes, plus the older documented paths as aliases."""

from fastapi import APIRouter, Response, status

from notalabel.deps import ClientDep, ContainerDep
from notalabel.identity.schemas import (
    FinalizeRequest,
    FinalizeResponse,
    ProcessRequest,
    ProcessResponse,
    SessionId,
    SessionOut,
    StartResponse,
)
from notalabel.schemas import error_responses

router = APIRouter(prefix="/api/auth", tags=["musical identity"])
_SESSION_ERRORS = error_responses(404, 409, 410, 422)


@router.post("/musical-identity/start", response_model=StartResponse, status_code=201)
@router.post(
    "/start-musical-identity",
    response_model=StartResponse,
    status_code=201,
    include_in_schema=False,
)
async def start_identity(container: ContainerDep, client: ClientDep) -> StartResponse:
    """Begin an onboarding conversation."""
    return await container.identity.start(client)


@router.post("/musical-identity/process", response_model=ProcessResponse, responses=_SESSION_ERRORS)
@router.post(
    "/process-identity-step",
    response_model=ProcessResponse,
    responses=_SESSION_ERRORS,
    include_in_schema=False,
)
async def process_identity_step(
    body: ProcessRequest, container: ContainerDep, client: ClientDep
) -> ProcessResponse:
    """Answer the current step: a description, feedback, a name, or yes/no."""
    return await container.identity.process(body.session_id, body.input, client)


@router.post(
    "/musical-identity/finalize", response_model=FinalizeResponse, responses=_SESSION_ERRORS
)
async def finalize_identity(
    body: FinalizeRequest, container: ContainerDep, client: ClientDep
) -> FinalizeResponse:
    """Create the account from a session at the confirmation step."""
    return await container.identity.finalize(body.session_id, client)


@router.get(
    "/musical-identity/session/{session_id}",
    response_model=SessionOut,
    responses=error_responses(404, 410),
)
async def get_identity_session(session_id: SessionId, container: ContainerDep) -> SessionOut:
    """Resume a session: its step, last pattern and history."""
    return await container.identity.get(session_id)


@router.delete(
    "/musical-identity/session/{session_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(404, 410),
)
async def abandon_identity_session(session_id: SessionId, container: ContainerDep) -> Response:
    """Abandon an unfinished session."""
    await container.identity.abandon(session_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
