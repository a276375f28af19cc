// Sign in: a password, a passkey, the artist's voice or a recovery code. Each way is its own
// labelled form; a success stores the tokens, learns the artist's name and goes on to /me (or
// ?next=).
import { ApiError, api } from '../api.mjs';
import { announce, fatal, field, h, main, replace } from '../dom.mjs';
import { installNav, profileUrl } from '../nav.mjs';
import { readAuth, readDeviceKey, rememberArtist, saveAuth } from '../session.mjs';
import { passkeysSupported, signInWithPasskey } from '../webauthn.mjs';
import { attempt } from '../account/common.mjs';
import { voiceWay } from '../voice/signin.mjs';

const WRONG_PASSWORD =
  'Wrong name or password. After five wrong tries in a row, password sign-in from this ' +
  'device pauses for a while.';
const WRONG_CODE = "That artist name and recovery code don't match. Each code works only once.";

/** Where to go after signing in: a same-site path from ?next=, else /me. */
export function nextPlace(search = window.location.search) {
  const next = new URLSearchParams(search).get('next');
  const sameSite = next && next.startsWith('/') && !next.startsWith('//') && !next.includes('\\');
  return sameSite ? next : '/me';
}

function rewords(error, message) {
  if (error instanceof ApiError && error.status === 401) {
    return new ApiError(401, error.code, message);
  }
  return error;
}

async function signedIn(tokens) {
  saveAuth(tokens);
  const me = await api('/api/users/me', { auth: true });
  rememberArtist(me.artistName, me.id);
  announce(`Signed in as ${me.artistName}.`);
  window.location.assign(nextPlace());
}

function passwordWay() {
  const slot = h('div', { class: 'error-slot' });
  const who = field('Email or artist name', {
    id: 'signin-identifier',
    autocomplete: 'username',
    required: true,
    autocapitalize: 'none',
    spellcheck: 'false',
  });
  const secret = field('Password', {
    id: 'signin-password',
    type: 'password',
    autocomplete: 'current-password',
    required: true,
  });
  const submit = h('button', { type: 'submit' }, 'Sign in');
  const form = h(
    'form',
    { 'aria-labelledby': 'way-password' },
    who.field,
    secret.field,
    slot,
    submit,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    await attempt(submit, slot, async () => {
      let tokens;
      try {
        tokens = await api('/api/auth/login', {
          method: 'POST',
          body: {
            identifier: who.input.value.trim(),
            password: secret.input.value,
            deviceKey: readDeviceKey() || undefined,
          },
        });
      } catch (error) {
        secret.input.value = '';
        throw rewords(error, WRONG_PASSWORD);
      }
      await signedIn(tokens);
    });
    if (slot.childElementCount) secret.input.focus();
  });
  return h(
    'section',
    { class: 'panel way' },
    h('h2', { id: 'way-password' }, 'With your password'),
    form,
  );
}

function passkeyWay() {
  const heading = h('h2', { id: 'way-passkey' }, 'With a passkey');
  if (!passkeysSupported()) {
    return h(
      'section',
      { class: 'panel way' },
      heading,
      h(
        'p',
        { class: 'muted' },
        'This browser cannot use passkeys. Use your password or a recovery code.',
      ),
    );
  }
  const slot = h('div', { class: 'error-slot' });
  const who = field('Artist name (optional)', {
    id: 'passkey-artist',
    autocomplete: 'username webauthn',
    spellcheck: 'false',
    hint: 'Leave it empty to choose from the passkeys on this device.',
  });
  const submit = h('button', { type: 'submit' }, 'Sign in with a passkey');
  const form = h('form', { 'aria-labelledby': 'way-passkey' }, who.field, slot, submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    await attempt(submit, slot, async () => {
      const tokens = await signInWithPasskey(who.input.value.trim() || undefined);
      await signedIn(tokens);
    });
  });
  return h('section', { class: 'panel way' }, heading, form);
}

function recoveryWay() {
  const slot = h('div', { class: 'error-slot' });
  const who = field('Artist name', {
    id: 'recover-artist',
    autocomplete: 'username',
    required: true,
    spellcheck: 'false',
  });
  const code = field('Recovery code', {
    id: 'recover-code',
    autocomplete: 'off',
    required: true,
    spellcheck: 'false',
    hint: 'One of the 10 codes you kept, like 7kq4-x9m2-c3vd-8h0t.',
  });
  const submit = h('button', { type: 'submit', class: 'secondary' }, 'Sign in with the code');
  const form = h(
    'form',
    { 'aria-labelledby': 'way-recovery' },
    who.field,
    code.field,
    slot,
    submit,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    await attempt(submit, slot, async () => {
      let answer;
      try {
        answer = await api('/api/auth/recover', {
          method: 'POST',
          body: { artistName: who.input.value.trim(), recoveryCode: code.input.value.trim() },
        });
      } catch (error) {
        throw rewords(error, WRONG_CODE);
      }
      await signedIn(answer);
    });
  });
  return h(
    'section',
    { class: 'panel way' },
    h('h2', { id: 'way-recovery' }, 'With a recovery code'),
    form,
  );
}

function alreadySignedIn(auth) {
  return h(
    'section',
    { class: 'panel' },
    h('h1', { tabindex: '-1', id: 'signin-title' }, 'You are signed in'),
    h(
      'p',
      {},
      auth.artistName ? `You are signed in as @${auth.artistName}.` : 'You are signed in.',
    ),
    h(
      'ul',
      { class: 'links' },
      h('li', {}, h('a', { href: '/me' }, 'Go to your account')),
      auth.artistName
        ? h('li', {}, h('a', { href: profileUrl(auth.artistName) }, 'See your profile'))
        : null,
    ),
    h('p', { class: 'muted' }, 'To sign in as someone else, sign out first (at the top).'),
  );
}

function render() {
  const auth = readAuth();
  if (auth) {
    replace(main(), alreadySignedIn(auth));
    return;
  }
  replace(
    main(),
    h('h1', { id: 'signin-title' }, 'Sign in'),
    h(
      'p',
      { class: 'muted' },
      'Four ways in. New here? ',
      h('a', { href: '/' }, 'Find your sound'),
      '.',
    ),
    passwordWay(),
    passkeyWay(),
    voiceWay(signedIn),
    recoveryWay(),
  );
}

try {
  installNav();
  render();
  // signing in or out in another tab changes what this page should offer
  window.addEventListener('storage', (event) => {
    if (event.key === 'nal.auth') render();
  });
} catch (error) {
  fatal(error);
}
