"""Follow, block and list routes (filled in by the social graph work)."""

from fastapi import APIRouter

router = APIRouter(prefix="/api/users", tags=["social"])
