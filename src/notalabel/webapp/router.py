"""HTML pages of the web app and the sandboxed player frame; scripts come from /static."""

from __future__ import annotations

from functools import cache
from importlib import resources
from string import Template

from fastapi import APIRouter
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from notalabel.webapp import strudel
from notalabel.webapp.policies import PAGE_CSP, PLAYER_CSP

router = APIRouter(include_in_schema=False)
STATIC_DIR = resources.files("notalabel.webapp") / "static"


@cache
def _template(name: str) -> Template:
    return Template((resources.files("notalabel.webapp") / "pages" / name).read_text("utf-8"))


def _page(page: str, title: str) -> HTMLResponse:
    html = _template("shell.html").substitute(page=page, title=title)
    return HTMLResponse(
        html, headers={"Content-Security-Policy": PAGE_CSP, "Cache-Control": "no-cache"}
    )


@router.api_route("/", methods=["GET", "HEAD"])
async def onboarding_page() -> HTMLResponse:
    """The onboarding conversation (or, signed in, a way on to the profile)."""
    return _page("onboarding", "Find your sound")


@router.api_route("/signin", methods=["GET", "HEAD"])
async def sign_in_page() -> HTMLResponse:
    """Sign in with a password, a passkey or a recovery code."""
    return _page("signin", "Sign in")


@router.api_route("/me", methods=["GET", "HEAD"])
async def my_account_page() -> HTMLResponse:
    """The signed-in artist's own settings."""
    return _page("me", "Your account")


@router.api_route("/@{artist_name}", methods=["GET", "HEAD"])
async def profile_page(artist_name: str) -> HTMLResponse:
    """An artist's public profile; the script reads the name from the address."""
    del artist_name  # the page's script asks the API, which owns what "not found" means
    return _page("profile", "Artist")


@router.api_route("/@{artist_name}/patterns", methods=["GET", "HEAD"])
async def library_page(artist_name: str) -> HTMLResponse:
    """An artist's pattern library; the script reads the name from the address."""
    del artist_name  # the API decides whether the artist exists
    return _page("library", "Patterns")


@router.api_route("/p/{pattern_id}", methods=["GET", "HEAD"])
async def pattern_page(pattern_id: str) -> HTMLResponse:
    """One pattern: play, likes, comments, refine or remix, lineage."""
    del pattern_id  # the page's script asks the API, which owns what "not found" means
    return _page("pattern", "Pattern")


@router.api_route("/discover", methods=["GET", "HEAD"])
async def discover_page() -> HTMLResponse:
    """Recent, trending and following feeds, and search."""
    return _page("discover", "Discover")


@router.api_route("/community", methods=["GET", "HEAD"])
async def community_page() -> HTMLResponse:
    """Artists like you, collaboration suggestions and requests (signed in)."""
    return _page("community", "Community")


@router.api_route("/notifications", methods=["GET", "HEAD"])
async def notifications_page() -> HTMLResponse:
    """The signed-in artist's notifications, newest activity first."""
    return _page("notifications", "Notifications")


@router.api_route("/player", methods=["GET", "HEAD"])
async def player_frame() -> HTMLResponse:
    """The sandboxed frame that evaluates and plays one pattern with Strudel."""
    html = _template("player.html").substitute(strudel.player_page_values())
    return HTMLResponse(
        html,
        headers={
            "Content-Security-Policy": PLAYER_CSP,
            "X-Frame-Options": "SAMEORIGIN",
            "Cache-Control": "no-cache",
        },
    )


def static_files() -> StaticFiles:
    """The app's stylesheets and ES modules."""
    return StaticFiles(directory=str(STATIC_DIR))
