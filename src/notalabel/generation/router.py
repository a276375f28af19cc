"""`POST /api/generate-music`."""

from fastapi import APIRouter

from notalabel.deps import ContainerDep
from notalabel.generation.schemas import GenerateMusicRequest, GenerateMusicResponse
from notalabel.schemas import error_responses

router = APIRouter(prefix="/api", tags=["generation"])


@router.post(
    "/generate-music", response_model=GenerateMusicResponse, responses=error_responses(422)
)
async def generate_music(
    body: GenerateMusicRequest, container: ContainerDep
) -> GenerateMusicResponse:
    """Generate a Strudel pattern from a description, a DNA and a listening context."""
    return container.generation.generate(body)
