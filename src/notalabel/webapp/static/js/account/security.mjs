// Passkeys and recovery codes on /me. Adding or removing a passkey and making new codes are
// sensitive changes, so each goes through withReauth.
import { api } from '../api.mjs';
import { announce, field, h, replace } from '../dom.mjs';
import { readAuth } from '../session.mjs';
import { passkeysSupported, registerPasskey } from '../webauthn.mjs';
import { attempt, codesBlock, sayIn, when } from './common.mjs';
import { section } from './profile.mjs';
import { withReauth } from './reauth.mjs';

function passkeyItem(passkey, reload, slot) {
  const remove = h('button', { type: 'button', class: 'danger' }, `Remove ${passkey.name}`);
  remove.addEventListener('click', async () => {
    const done = await attempt(remove, slot, async () => {
      await withReauth(() =>
        api(`/api/users/me/passkeys/${encodeURIComponent(passkey.id)}`, {
          method: 'DELETE',
          auth: true,
        }),
      );
      return true;
    });
    if (done) {
      announce(`The passkey ${passkey.name} is removed.`);
      await reload();
    }
  });
  return h(
    'li',
    {},
    h('strong', {}, passkey.name),
    h('br'),
    h(
      'span',
      { class: 'muted' },
      `Added ${when(passkey.createdAt)} · last used ${when(passkey.lastUsedAt)}`,
    ),
    h('div', { class: 'row' }, remove),
  );
}

/** The Passkeys section (loads its own list). */
export function passkeysSection() {
  const slot = h('div', { class: 'error-slot' });
  const list = h('ul', { class: 'plain', 'aria-label': 'Your passkeys' });
  const reload = async () => {
    try {
      const keys = await api('/api/users/me/passkeys', { auth: true });
      replace(
        list,
        keys.length
          ? keys.map((k) => passkeyItem(k, reload, slot))
          : h('li', { class: 'muted' }, 'No passkeys yet.'),
      );
    } catch (error) {
      sayIn(slot, error);
    }
  };
  let adder;
  if (passkeysSupported()) {
    const name = field('Name for the new passkey', {
      id: 'me-passkey-name',
      value: 'This device',
      maxlength: 64,
      required: true,
    });
    const submit = h('button', { type: 'submit' }, 'Add a passkey');
    adder = h('form', { 'aria-label': 'Add a passkey' }, name.field, submit);
    adder.addEventListener('submit', async (event) => {
      event.preventDefault();
      const made = await attempt(submit, slot, () =>
        withReauth(() => registerPasskey(name.input.value.trim() || 'Passkey')),
      );
      if (!made) return;
      announce(`The passkey ${made.name} is added. You can sign in with it.`);
      await reload();
    });
  } else {
    adder = h('p', { class: 'muted' }, 'This browser cannot make passkeys.');
  }
  const node = section(
    'passkeys',
    'Passkeys',
    h('p', { class: 'muted' }, 'Sign in with your fingerprint, face or screen lock: no password.'),
    list,
    slot,
    adder,
  );
  reload();
  return node;
}

/** The Recovery codes section. */
export function recoverySection() {
  const slot = h('div', { class: 'error-slot' });
  const count = h('p', { id: 'me-codes-left' }, 'Counting your codes…');
  const shown = h('div', {});
  const load = async () => {
    try {
      const state = await api('/api/users/me/recovery-codes', { auth: true });
      replace(count, `${state.remaining} of 10 recovery codes left.`);
    } catch (error) {
      sayIn(slot, error);
    }
  };
  const make = h('button', { type: 'button', class: 'secondary' }, 'Make new codes');
  make.addEventListener('click', async () => {
    const made = await attempt(make, slot, () =>
      withReauth(() => api('/api/users/me/recovery-codes', { method: 'POST', auth: true })),
    );
    if (!made) return;
    replace(count, `${made.remaining} of 10 recovery codes left. The old ones no longer work.`);
    const block = codesBlock(made.recoveryCodes, readAuth()?.artistName ?? 'you');
    replace(shown, block);
    announce('Here are your new recovery codes. They are shown only this once.');
    block.querySelector('button')?.focus();
  });
  load();
  return section(
    'recovery',
    'Recovery codes',
    count,
    h(
      'p',
      { class: 'muted' },
      'Each code signs you in once if you lose your password and passkeys.',
    ),
    slot,
    h('div', { class: 'row' }, make),
    shown,
  );
}
