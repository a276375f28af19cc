// Where the browser keeps the artist's sign-in and an onboarding in progress (localStorage,
// so a reload or a second tab resumes). The device key outlives sign-outs: the server's
// lockout treats a known device more kindly.
const AUTH_KEY = 'nal.auth';
const DEVICE_KEY = 'nal.deviceKey';
const ONBOARDING_KEY = 'nal.onboarding';

function readJson(key) {
  try {
    return JSON.parse(localStorage.getItem(key) ?? 'null');
  } catch {
    return null;
  }
}

/** The stored sign-in ({token, refreshToken, artistName, userId}) or null. */
export function readAuth() {
  const auth = readJson(AUTH_KEY);
  return auth && typeof auth.token === 'string' && typeof auth.refreshToken === 'string'
    ? auth
    : null;
}

/** Store a sign-in answer (login, refresh, finalize, passkey or recovery). */
export function saveAuth({ token, refreshToken, deviceKey, artistName, userId }) {
  const previous = readAuth() ?? {};
  localStorage.setItem(
    AUTH_KEY,
    JSON.stringify({
      token,
      refreshToken,
      artistName: artistName ?? previous.artistName ?? null,
      userId: userId ?? previous.userId ?? null,
    }),
  );
  if (deviceKey) localStorage.setItem(DEVICE_KEY, deviceKey);
  window.dispatchEvent(new CustomEvent('nal:auth'));
}

/** Remember the artist's current name (after a rename or when the profile is read). */
export function rememberArtist(artistName, userId) {
  const auth = readAuth();
  if (!auth) return;
  localStorage.setItem(AUTH_KEY, JSON.stringify({ ...auth, artistName, userId }));
  window.dispatchEvent(new CustomEvent('nal:auth'));
}

/** Forget the sign-in (the device key stays). */
export function clearAuth() {
  localStorage.removeItem(AUTH_KEY);
  window.dispatchEvent(new CustomEvent('nal:auth'));
}

/** The device key an earlier password sign-in returned, if any. */
export function readDeviceKey() {
  return localStorage.getItem(DEVICE_KEY);
}

/** The onboarding session in progress ({sessionId}) or null. */
export function readOnboarding() {
  const value = readJson(ONBOARDING_KEY);
  return value && typeof value.sessionId === 'string' ? value : null;
}

export function saveOnboarding(sessionId) {
  localStorage.setItem(ONBOARDING_KEY, JSON.stringify({ sessionId }));
}

export function clearOnboarding() {
  localStorage.removeItem(ONBOARDING_KEY);
}

// another tab signing in or out updates this one too
window.addEventListener('storage', (event) => {
  if (event.key === AUTH_KEY) window.dispatchEvent(new CustomEvent('nal:auth'));
});
