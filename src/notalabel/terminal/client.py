"""A small async client over the public HTTP API, with the API's errors as one exception."""

from __future__ import annotations

from typing import Any

import httpx

TIMEOUT = httpx.Timeout(30.0)


class ApiError(Exception):
    """An answer in the error shape (or no answer at all), carrying a message fit to print."""

    def __init__(
        self, message: str, *, status: int | None = None, code: str = "error", details: Any = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code
        self.details = details


def error_from_response(response: httpx.Response) -> ApiError:
    """Map a non-2xx answer to an ApiError; a 429 says how long to wait (Retry-After)."""
    if response.status_code == 429:
        wait = response.headers.get("retry-after", "").strip()
        when = f"in {wait} seconds" if wait.isdigit() else "later"
        return ApiError(f"too many attempts, try again {when}", status=429, code="rate_limited")
    try:
        error = response.json()["error"]
        message, code = str(error["message"]), str(error["code"])
        details = error.get("details")
    except (ValueError, KeyError, TypeError):
        message, code, details = f"the server answered HTTP {response.status_code}", "http", None
    return ApiError(message, status=response.status_code, code=code, details=details)


class ApiClient:
    """The routes the terminal needs, each returning the decoded JSON body."""

    def __init__(self, http: httpx.AsyncClient, server: str) -> None:
        self.http = http
        # what the credentials file records: a URL, or "embedded"
        self.server = server

    async def _call(
        self, method: str, path: str, *, body: Any = None, token: str | None = None
    ) -> Any:
        headers = {"authorization": f"Bearer {token}"} if token else {}
        try:
            response = await self.http.request(method, path, json=body, headers=headers)
        except httpx.TransportError as exc:
            raise ApiError(f"cannot reach {self.server}: {exc or type(exc).__name__}") from exc
        if response.is_error:
            raise error_from_response(response)
        if response.status_code == 204 or not response.content:
            return None
        return response.json()

    async def start(self) -> dict[str, Any]:
        """Begin an onboarding conversation."""
        result: dict[str, Any] = await self._call("POST", "/api/auth/musical-identity/start")
        return result

    async def process(self, session_id: str, text: str) -> dict[str, Any]:
        """Answer the current step of the conversation."""
        body = {"sessionId": session_id, "input": text}
        result: dict[str, Any] = await self._call(
            "POST", "/api/auth/musical-identity/process", body=body
        )
        return result

    async def finalize(self, session_id: str) -> dict[str, Any]:
        """Create the account from a session at the confirmation step."""
        result: dict[str, Any] = await self._call(
            "POST", "/api/auth/musical-identity/finalize", body={"sessionId": session_id}
        )
        return result

    async def me(self, token: str) -> dict[str, Any]:
        """The signed-in artist's profile."""
        result: dict[str, Any] = await self._call("GET", "/api/users/me", token=token)
        return result

    async def refresh(self, refresh_token: str) -> dict[str, Any]:
        """Trade the refresh token for a new pair (the old one stops working)."""
        result: dict[str, Any] = await self._call(
            "POST", "/api/auth/refresh", body={"refreshToken": refresh_token}
        )
        return result

    async def logout(self, token: str) -> None:
        """End this device's sign-in."""
        await self._call("POST", "/api/auth/logout", token=token)
