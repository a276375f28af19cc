// Devices (with "this device" marked and a way to sign the others out), the security log
// with "Load more", and alerts from other devices, acknowledged once they are shown.
import { api } from '../api.mjs';
import { announce, h, replace } from '../dom.mjs';
import { attempt, sayIn, when } from './common.mjs';
import { section } from './profile.mjs';
import { withReauth } from './reauth.mjs';

const KINDS = {
  recovery_codes_generated: 'New recovery codes were made',
  recovery_code_used: 'A recovery code was used',
  signed_in_with_recovery_code: 'Signed in with a recovery code',
  recovery_failed: 'A wrong recovery code was tried',
  reauthenticated: 'Sign-in confirmed again',
  reauthentication_failed: 'A confirmation failed',
  password_changed: 'The password was changed',
  email_changed: 'The email was changed',
  credentials_set: 'A password or email was attached',
  passkey_added: 'A passkey was added',
  passkey_removed: 'A passkey was removed',
  device_revoked: 'A device was signed out',
  refresh_token_reused: 'An old sign-in token was reused: that device was signed out',
  account_locked: 'Password sign-in was paused after wrong tries',
  voice_enrolled: 'Your voice was enrolled for voice login',
  voice_removed: 'Your voice signature was deleted',
  voice_used: 'Signed in by voice',
  voice_locked: 'Voice login was paused after failed tries',
};

const METHODS = {
  email: 'a password',
  passkey: 'a passkey',
  recovery_code: 'a recovery code',
  musical_identity: 'the onboarding',
  voice: 'voice login',
};

/** A security log kind in words. */
export function kindInWords(kind) {
  return (
    KINDS[kind] ??
    String(kind)
      .replace(/_/g, ' ')
      .replace(/^./, (c) => c.toUpperCase())
  );
}

function device(d, reload, slot) {
  const what = `${d.deviceType} · ${d.userAgent || 'unknown browser'}`;
  const revoke = d.current
    ? null
    : h('button', { type: 'button', class: 'danger' }, 'Sign this device out');
  revoke?.addEventListener('click', async () => {
    const done = await attempt(revoke, slot, async () => {
      await withReauth(() =>
        api(`/api/users/me/devices/${encodeURIComponent(d.id)}`, { method: 'DELETE', auth: true }),
      );
      return true;
    });
    if (done) {
      announce('That device is signed out.');
      await reload();
    }
  });
  return h(
    'li',
    { class: d.current ? 'device current' : 'device', dataset: { deviceId: d.id } },
    h('span', { class: 'device-name' }, what),
    d.current ? h('strong', { class: 'this-device' }, ' (this device)') : null,
    h('br'),
    h(
      'span',
      { class: 'muted' },
      `Signed in with ${METHODS[d.loginMethod] ?? d.loginMethod} · last used ${when(d.lastUsedAt)}`,
    ),
    revoke ? h('div', { class: 'row' }, revoke) : null,
  );
}

/** The Devices section (loads its own list). */
export function devicesSection() {
  const slot = h('div', { class: 'error-slot' });
  const list = h('ul', { class: 'plain', 'aria-label': 'Signed-in devices' });
  const reload = async () => {
    try {
      const devices = await api('/api/users/me/devices', { auth: true });
      replace(
        list,
        devices.map((d) => device(d, reload, slot)),
      );
    } catch (error) {
      sayIn(slot, error);
    }
  };
  reload();
  return section('devices', 'Devices', list, slot);
}

function eventRow(event) {
  return h(
    'li',
    {},
    h('span', {}, kindInWords(event.kind)),
    h('br'),
    h(
      'span',
      { class: 'muted' },
      `${when(event.createdAt)} · ${event.ipAddress || 'unknown address'}`,
    ),
  );
}

/** The Security events section, newest first, with "Load more". */
export function eventsSection() {
  const slot = h('div', { class: 'error-slot' });
  const list = h('ul', { class: 'plain', 'aria-label': 'Security events' });
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, 'Load more');
  let cursor = null;
  const load = async () => {
    const query = cursor ? `?cursor=${encodeURIComponent(cursor)}` : '';
    const page = await api(`/api/users/me/security-events${query}`, { auth: true });
    const first = list.childElementCount;
    list.append(...page.items.map(eventRow));
    cursor = page.nextCursor;
    more.hidden = !cursor;
    return first;
  };
  more.addEventListener('click', async () => {
    const first = await attempt(more, slot, load);
    const next = list.children[first ?? -1];
    if (next) {
      next.tabIndex = -1;
      next.focus();
    }
  });
  load().catch((error) => sayIn(slot, error));
  return section('events', 'Security events', list, slot, more);
}

/** Alerts about changes made on other devices; acknowledged once shown. */
export function alertsPanel(alerts) {
  if (!alerts?.length) return null;
  api('/api/users/me/security-events/ack', { method: 'POST', auth: true }).catch(() => {
    // not acknowledged: they are shown again next time, which is the safe side
  });
  return h(
    'section',
    { class: 'panel alerts', role: 'alert', 'aria-labelledby': 'alerts-title' },
    h('h2', { id: 'alerts-title' }, 'Changed from another device'),
    h(
      'ul',
      {},
      alerts.map((a) => h('li', {}, `${kindInWords(a.kind)} · ${when(a.createdAt)}`)),
    ),
    h('p', { class: 'muted' }, 'Not you? Sign that device out below and change your password.'),
  );
}
