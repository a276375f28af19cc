// The one way the pages talk to the service: JSON over fetch, the bearer token attached,
// an expiring access token rotated with the refresh token (once, even with many requests
// in flight), and every failure turned into an ApiError that can be shown in words.
import { clearAuth, readAuth, saveAuth } from './session.mjs';

export class ApiError extends Error {
  constructor(status, code, message, { details = null, retryAfter = null, requestId = null } = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
    this.retryAfter = retryAfter;
    this.requestId = requestId;
  }
}

const OFFLINE = "Can't reach Not a Label right now. Check your connection and try again.";

function seconds(value) {
  const n = Number.parseInt(value ?? '', 10);
  return Number.isFinite(n) && n >= 0 ? n : null;
}

/** How long "n seconds" reads to a person. */
export function humanWait(total) {
  if (total <= 1) return 'a second';
  if (total < 90) return `${total} seconds`;
  const minutes = Math.ceil(total / 60);
  if (minutes < 90) return `${minutes} minutes`;
  return `${Math.ceil(minutes / 60)} hours`;
}

/** The sentence to show a person for any error a call raised. */
export function describeError(error) {
  if (!(error instanceof ApiError)) return OFFLINE;
  if (error.status === 429) {
    const wait = error.retryAfter ?? 60;
    return `Too many attempts. Try again in ${humanWait(wait)}.`;
  }
  if (error.status >= 500) {
    const ref = error.requestId ? ` (reference ${error.requestId})` : '';
    return `${error.message || 'Something went wrong on our side.'} Please try again${ref}.`
      .replace('.. ', '. ')
      .replace('..', '.');
  }
  if (error.code === 'validation_error' && Array.isArray(error.details) && error.details.length) {
    return error.details.map((d) => `${d.field || 'input'}: ${d.message}`).join('; ');
  }
  return error.message || `The request failed (${error.status}).`;
}

async function toError(response) {
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  const err = body?.error ?? {};
  const message =
    err.message ||
    (response.status >= 500 ? 'Something went wrong on our side.' : `Request failed (${response.status}).`);
  return new ApiError(response.status, err.code ?? 'http_error', message, {
    details: err.details ?? null,
    retryAfter: seconds(response.headers.get('retry-after')),
    requestId: response.headers.get('x-request-id'),
  });
}

async function send(path, { method, body, token }) {
  const headers = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  try {
    return await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, 'offline', OFFLINE);
  }
}

let refreshing = null;

/** Exchange the stored refresh token for a new pair; one exchange at a time. */
export function refreshTokens() {
  refreshing ??= (async () => {
    const auth = readAuth();
    if (!auth) throw new ApiError(401, 'unauthorized', 'You are signed out. Sign in again.');
    const response = await send('/api/auth/refresh', {
      method: 'POST',
      body: { refreshToken: auth.refreshToken },
    });
    if (!response.ok) {
      const error = await toError(response);
      if (response.status === 401) {
        clearAuth();
        throw new ApiError(401, 'signed_out', 'Your sign-in has ended. Please sign in again.');
      }
      throw error;
    }
    const tokens = await response.json();
    saveAuth({ ...auth, ...tokens });
    return tokens;
  })().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

function expiresSoon(token) {
  try {
    const payload = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    return typeof payload.exp === 'number' && payload.exp * 1000 - Date.now() < 20_000;
  } catch {
    return false;
  }
}

/**
 * Call the API. `auth`: false (anonymous), true (must be signed in) or 'optional' (send the
 * token when there is one). Resolves to the parsed JSON body (null for 204).
 */
export async function api(path, { method = 'GET', body, auth = false } = {}) {
  let stored = auth ? readAuth() : null;
  if (auth === true && !stored) {
    throw new ApiError(401, 'signed_out', 'You are not signed in.');
  }
  if (stored && expiresSoon(stored.token)) {
    try {
      await refreshTokens();
    } catch (error) {
      if (auth === true) throw error;
    }
    stored = readAuth();
  }
  let response = await send(path, { method, body, token: stored?.token });
  if (response.status === 401 && stored) {
    const error = await toError(response);
    if (error.code !== 'unauthorized') throw error;
    await refreshTokens();
    response = await send(path, { method, body, token: readAuth()?.token });
  }
  if (!response.ok) throw await toError(response);
  if (response.status === 204) return null;
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}

/** End this device's sign-in on the server (best effort) and here. */
export async function logout() {
  const auth = readAuth();
  if (auth) {
    try {
      await api('/api/auth/logout', { method: 'POST', auth: true });
    } catch {
      // the tokens may be dead already; signing out here is what the artist asked for
    }
  }
  clearAuth();
}
