// /me: the signed-in artist's own settings, one section per concern, each with its own
// heading and error slot. Signed out, a short way to /signin instead.
import { ApiError, api } from '../api.mjs';
import { fatal, h, main, replace } from '../dom.mjs';
import { installNav } from '../nav.mjs';
import { readAuth, rememberArtist } from '../session.mjs';
import { credentialsSection } from '../account/credentials.mjs';
import { dataSection } from '../account/danger.mjs';
import { alertsPanel, devicesSection, eventsSection } from '../account/devices.mjs';
import { profileSection } from '../account/profile.mjs';
import { passkeysSection, recoverySection } from '../account/security.mjs';
import { voiceSection } from '../account/voice.mjs';
import { say } from '../account/common.mjs';

function signedOut(message) {
  replace(
    main(),
    h(
      'section',
      { class: 'panel' },
      h('h1', {}, 'Your account'),
      h('p', {}, message),
      h(
        'p',
        {},
        h('a', { href: '/signin?next=/me' }, 'Sign in'),
        ' or ',
        h('a', { href: '/' }, 'find your sound'),
        '.',
      ),
    ),
  );
}

async function render() {
  if (!readAuth()) {
    signedOut('You are not signed in.');
    return;
  }
  replace(
    main(),
    h('h1', {}, 'Your account'),
    h('p', { class: 'muted', 'aria-busy': 'true' }, 'Loading…'),
  );
  let me;
  try {
    me = await api('/api/users/me', { auth: true });
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      signedOut(say(error));
      return;
    }
    throw error;
  }
  rememberArtist(me.artistName, me.id);
  const toc = h(
    'nav',
    { class: 'account-toc', 'aria-label': 'Sections' },
    [
      ['profile', 'Profile'],
      ['credentials', 'Email and password'],
      ['passkeys', 'Passkeys'],
      ['voice', 'Voice login'],
      ['recovery', 'Recovery codes'],
      ['devices', 'Devices'],
      ['events', 'Security events'],
      ['data', 'Your data'],
    ].map(([id, label]) => h('a', { href: `#${id}` }, label)),
  );
  replace(
    main(),
    h('h1', { id: 'me-title' }, `@${me.artistName}`),
    h('p', { class: 'muted' }, 'Your account settings.'),
    toc,
    alertsPanel(me.securityAlerts),
    profileSection(me),
    credentialsSection(me),
    passkeysSection(),
    voiceSection(me),
    recoverySection(),
    devicesSection(),
    eventsSection(),
    dataSection(me),
  );
}

installNav();
// signed out in another tab: this page should say so rather than fail on its next click
window.addEventListener('nal:auth', () => {
  if (!readAuth()) signedOut('You are signed out.');
});
render().catch(fatal);
