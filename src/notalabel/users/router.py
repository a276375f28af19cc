"""Routes of the signed-in artist."""

from fastapi import APIRouter

from notalabel.deps import CurrentUser
from notalabel.schemas import error_responses
from notalabel.users.schemas import UserOut

router = APIRouter(prefix="/api/users", tags=["users"])


@router.get("/me", response_model=UserOut, responses=error_responses(401))
async def read_me(user: CurrentUser) -> UserOut:
    """The signed-in artist's own profile, private fields included."""
    return UserOut.model_validate(user)
