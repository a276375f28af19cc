// Passkeys through the browser's WebAuthn API, with the JSON shapes the service speaks
// (binary fields as unpadded base64url).
import { api } from './api.mjs';

const fromB64 = (s) => {
  let b = s.replace(/-/g, '+').replace(/_/g, '/');
  while (b.length % 4) b += '=';
  return Uint8Array.from(atob(b), (c) => c.charCodeAt(0)).buffer;
};
const toB64 = (buf) =>
  btoa(String.fromCharCode(...new Uint8Array(buf)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

/** Whether this browser can make and use passkeys. */
export function passkeysSupported() {
  return typeof window.PublicKeyCredential === 'function' && !!navigator.credentials;
}

/** Create a passkey for the signed-in artist and register it under `name`. */
export async function registerPasskey(name) {
  const options = await api('/api/passkeys/registration/options', {
    method: 'POST',
    body: {},
    auth: true,
  });
  const publicKey = {
    ...options,
    challenge: fromB64(options.challenge),
    user: { ...options.user, id: fromB64(options.user.id) },
    excludeCredentials: (options.excludeCredentials ?? []).map((c) => ({ ...c, id: fromB64(c.id) })),
  };
  const made = await navigator.credentials.create({ publicKey });
  const credential = {
    id: made.id,
    rawId: toB64(made.rawId),
    type: made.type,
    response: {
      clientDataJSON: toB64(made.response.clientDataJSON),
      attestationObject: toB64(made.response.attestationObject),
      transports: made.response.getTransports?.() ?? [],
    },
    authenticatorAttachment: made.authenticatorAttachment,
    clientExtensionResults: made.getClientExtensionResults(),
  };
  return api('/api/passkeys/registration', {
    method: 'POST',
    body: { credential, name },
    auth: true,
  });
}

/** Sign in with a passkey (optionally for a named artist); resolves to the token answer. */
export async function signInWithPasskey(artistName) {
  const asked = await api('/api/auth/passkey/options', {
    method: 'POST',
    body: artistName ? { artistName } : {},
  });
  const options = asked.publicKey;
  const publicKey = {
    ...options,
    challenge: fromB64(options.challenge),
    allowCredentials: (options.allowCredentials ?? []).map((c) => ({ ...c, id: fromB64(c.id) })),
  };
  const got = await navigator.credentials.get({ publicKey });
  const credential = {
    id: got.id,
    rawId: toB64(got.rawId),
    type: got.type,
    response: {
      clientDataJSON: toB64(got.response.clientDataJSON),
      authenticatorData: toB64(got.response.authenticatorData),
      signature: toB64(got.response.signature),
      userHandle: got.response.userHandle ? toB64(got.response.userHandle) : null,
    },
    authenticatorAttachment: got.authenticatorAttachment,
    clientExtensionResults: got.getClientExtensionResults(),
  };
  return api('/api/auth/passkey', {
    method: 'POST',
    body: { challengeId: asked.challengeId, credential },
  });
}
