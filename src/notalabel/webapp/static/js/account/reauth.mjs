// Sensitive changes answer 401 `reauthentication_required` when the sign-in is older than a
// few minutes. This is the one place that handles it: ask the artist to prove it is them
// (password, recovery code or passkey), keep the fresh tokens, and try the change once more.
import { ApiError, api } from '../api.mjs';
import { field, h } from '../dom.mjs';
import { readAuth, saveAuth } from '../session.mjs';
import { passkeysSupported, signInWithPasskey } from '../webauthn.mjs';
import { attempt } from './common.mjs';

const CANCELLED = 'This change needs you to confirm it is you. Nothing was changed.';
let open = null; // one dialog at a time, even if two actions ask together

/** True when `error` is the server asking for a recent sign-in. */
export function needsReauth(error) {
  return error instanceof ApiError && error.code === 'reauthentication_required';
}

/** Run `action`; if the server wants a recent sign-in, ask for one and run it once more. */
export async function withReauth(action) {
  try {
    return await action();
  } catch (error) {
    if (!needsReauth(error)) throw error;
    if (!(await proveItIsYou())) {
      throw new ApiError(401, 'reauthentication_cancelled', CANCELLED);
    }
    return action();
  }
}

/** Show the "confirm it's you" dialog; resolves true once proven, false when cancelled. */
export function proveItIsYou() {
  open ??= ask().finally(() => {
    open = null;
  });
  return open;
}

function wrongSecret(error) {
  if (error instanceof ApiError && error.status === 401 && error.code === 'invalid_credentials') {
    return new ApiError(401, error.code, 'That is not right. Check it and try again.');
  }
  return error;
}

async function signOutOldSignIn(oldToken) {
  // the passkey made a new device sign-in; the one it replaces should not linger
  try {
    await fetch('/api/auth/logout', {
      method: 'POST',
      headers: { authorization: `Bearer ${oldToken}` },
    });
  } catch {
    // best effort: the new sign-in already works
  }
}

function ask() {
  return new Promise((resolve) => {
    const previousFocus = document.activeElement;
    const slot = h('div', { class: 'error-slot' });
    const finish = (proven) => {
      dialog.close();
      dialog.remove();
      if (previousFocus instanceof HTMLElement) previousFocus.focus();
      resolve(proven);
    };
    const proven = (tokens) => {
      saveAuth(tokens);
      finish(true);
    };

    const password = field('Your password', {
      type: 'password',
      autocomplete: 'current-password',
      id: 'reauth-password',
    });
    const byPassword = h('button', { type: 'submit' }, 'Confirm with password');
    const passwordForm = h('form', { class: 'reauth-way' }, password.field, byPassword);
    passwordForm.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (!password.input.value) return password.input.focus();
      const tokens = await attempt(byPassword, slot, async () => {
        try {
          return await api('/api/auth/reauthenticate', {
            method: 'POST',
            body: { password: password.input.value },
            auth: true,
          });
        } catch (error) {
          throw wrongSecret(error);
        }
      });
      if (tokens) proven(tokens);
    });

    const code = field('A recovery code', {
      autocomplete: 'off',
      spellcheck: 'false',
      id: 'reauth-code',
    });
    const byCode = h('button', { type: 'submit', class: 'secondary' }, 'Confirm with code');
    const codeForm = h('form', { class: 'reauth-way' }, code.field, byCode);
    codeForm.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (!code.input.value.trim()) return code.input.focus();
      const tokens = await attempt(byCode, slot, async () => {
        try {
          return await api('/api/auth/reauthenticate', {
            method: 'POST',
            body: { recoveryCode: code.input.value.trim() },
            auth: true,
          });
        } catch (error) {
          throw wrongSecret(error);
        }
      });
      if (tokens) proven(tokens);
    });

    let byPasskey = null;
    if (passkeysSupported()) {
      byPasskey = h('button', { type: 'button', class: 'secondary' }, 'Confirm with a passkey');
      byPasskey.addEventListener('click', async () => {
        const before = readAuth();
        const tokens = await attempt(byPasskey, slot, () =>
          signInWithPasskey(before?.artistName ?? undefined),
        );
        if (!tokens) return;
        if (before) await signOutOldSignIn(before.token);
        proven(tokens);
      });
    }

    const cancel = h('button', { type: 'button', class: 'secondary' }, 'Cancel');
    cancel.addEventListener('click', () => finish(false));
    const dialog = h(
      'dialog',
      { class: 'reauth', 'aria-labelledby': 'reauth-title', 'aria-describedby': 'reauth-why' },
      h('h2', { id: 'reauth-title' }, "Confirm it's you"),
      h(
        'p',
        { id: 'reauth-why' },
        'This change needs a recent sign-in. Use your password, a recovery code or a passkey.',
      ),
      slot,
      passwordForm,
      codeForm,
      byPasskey ? h('div', { class: 'row reauth-way' }, byPasskey) : null,
      h('div', { class: 'row' }, cancel),
    );
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      finish(false);
    });
    document.body.append(dialog);
    dialog.showModal();
    password.input.focus();
  });
}
