// Sending a recording to the service. api() speaks JSON only, so this is its twin for audio:
// a raw WAV body or a multipart form, the same bearer token (refreshed once when it has
// expired) and the same ApiError for every failure, so errors are shown in words alike.
import { ApiError, refreshTokens } from '../api.mjs';
import { readAuth } from '../session.mjs';

async function toError(response) {
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  const err = body?.error ?? {};
  const retry = Number.parseInt(response.headers.get('retry-after') ?? '', 10);
  const fallback =
    response.status >= 500
      ? 'Something went wrong on our side.'
      : `Request failed (${response.status}).`;
  return new ApiError(response.status, err.code ?? 'http_error', err.message || fallback, {
    details: err.details ?? null,
    retryAfter: Number.isFinite(retry) && retry >= 0 ? retry : null,
    requestId: response.headers.get('x-request-id'),
  });
}

function post(path, body, token) {
  const headers = { accept: 'application/json' };
  // a FormData body gets its multipart boundary from the browser; a Blob is sent as it is
  if (body instanceof Blob) headers['content-type'] = body.type || 'audio/wav';
  if (token) headers.authorization = `Bearer ${token}`;
  return fetch(path, { method: 'POST', headers, body, cache: 'no-store' });
}

/**
 * POST a recording (a WAV Blob) or a FormData holding one. `auth`: send the stored token.
 * Resolves to the parsed JSON answer; a failure throws an ApiError (a network failure the
 * browser's TypeError, which describeError turns into "can't reach Not a Label").
 */
export async function sendAudio(path, body, { auth = false } = {}) {
  const token = auth ? readAuth()?.token : undefined;
  if (auth && !token) throw new ApiError(401, 'signed_out', 'You are not signed in.');
  let response = await post(path, body, token);
  if (auth && response.status === 401) {
    const error = await toError(response);
    if (error.code !== 'unauthorized') throw error; // e.g. reauthentication_required
    await refreshTokens();
    response = await post(path, body, readAuth()?.token);
  }
  if (!response.ok) throw await toError(response);
  return response.json();
}
