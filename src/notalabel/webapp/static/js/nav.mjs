// The header's account links, kept in step with the stored sign-in (also across tabs).
import { api, logout, refreshTokens } from './api.mjs';
import { h, replace } from './dom.mjs';
import { readAuth } from './session.mjs';

/** Profile address of an artist. */
export function profileUrl(artistName) {
  return `/@${encodeURIComponent(artistName)}`;
}

function render() {
  const nav = document.getElementById('site-nav');
  if (!nav) return;
  const auth = readAuth();
  if (!auth) {
    replace(nav, h('a', { href: '/discover' }, 'Discover'), h('a', { href: '/' }, 'Join'), h('a', { href: '/signin' }, 'Sign in'));
    return;
  }
  const signOut = h('button', { type: 'button', class: 'secondary', id: 'sign-out' }, 'Sign out');
  signOut.addEventListener('click', async () => {
    signOut.disabled = true;
    await logout();
    window.location.assign('/signin');
  });
  replace(
    nav,
    h('a', { href: '/discover' }, 'Discover'),
    h('a', { href: '/community' }, 'Community'),
    bell(),
    auth.artistName ? h('a', { href: profileUrl(auth.artistName) }, `@${auth.artistName}`) : null,
    h('a', { href: '/me' }, 'Account'),
    signOut,
  );
}

// The bell shows the unread count: pushed over /api/realtime, and asked for again when the tab
// comes back and every BELL_POLL_MS in case the socket is down.
const BELL_POLL_MS = 60_000;
let bellTimer = null;
let socket = null;
let reconnects = 0;
let reconnectTimer = null;
let lastId = null; // the last push seen: a reconnect asks for what came after it

function bell() {
  const count = h('span', { class: 'bell-count', id: 'bell-count', hidden: true });
  return h('a', { href: '/notifications', id: 'bell', 'aria-label': 'Notifications' }, 'Notifications', count);
}

function showCount(unreadCount) {
  const count = document.getElementById('bell-count');
  if (!count) return;
  count.textContent = unreadCount > 99 ? '99+' : String(unreadCount);
  count.hidden = unreadCount === 0;
  document.getElementById('bell')?.setAttribute(
    'aria-label', unreadCount ? `Notifications, ${unreadCount} unread` : 'Notifications');
}

/** Ask for the unread count now and show it on the bell (a page that changed it calls this). */
export async function refreshBell() {
  if (!document.getElementById('bell-count') || !readAuth()) return;
  try {
    const { unreadCount } = await api('/api/notifications/unread', { auth: true });
    showCount(unreadCount);
  } catch {
    // the bell is a hint: a failed read leaves the last count and tries again later
  }
}

function pollBell() {
  clearInterval(bellTimer);
  bellTimer = null;
  if (!readAuth()) return;
  refreshBell();
  bellTimer = setInterval(() => {
    if (document.visibilityState === 'visible') refreshBell();
  }, BELL_POLL_MS);
}

function closeSocket() {
  clearTimeout(reconnectTimer);
  const open = socket;
  socket = null;
  open?.close(1000);
}

/** Listen on /api/realtime: the first message carries the token (never the address). */
function connectSocket() {
  closeSocket();
  const auth = readAuth();
  if (!auth) return;
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  const ws = new WebSocket(`${scheme}://${window.location.host}/api/realtime`);
  socket = ws;
  ws.addEventListener('open', () => {
    const hello = { type: 'auth', token: readAuth()?.token ?? '' };
    if (lastId) hello.lastId = lastId;
    ws.send(JSON.stringify(hello));
  });
  ws.addEventListener('message', (event) => {
    const message = JSON.parse(event.data);
    if (message.id) lastId = message.id;
    if (message.type === 'ready') reconnects = 0;
    if (message.type === 'resync') refreshBell();
    if (message.type === 'notifications') showCount(message.unreadCount);
    window.dispatchEvent(new CustomEvent('nal:realtime', { detail: message }));
  });
  ws.addEventListener('close', async (event) => {
    if (socket !== ws) return; // closed on purpose
    socket = null;
    if (event.code === 4401) {
      // the token expired or was refused: a fresh one, or the sign-in is over
      try {
        await refreshTokens();
      } catch {
        return;
      }
    }
    if (!readAuth()) return;
    const wait = Math.min(30_000, 1000 * 2 ** reconnects);
    reconnects += 1;
    reconnectTimer = setTimeout(connectSocket, wait);
  });
}

/** Draw the navigation now and whenever the sign-in changes. */
export function installNav() {
  render();
  pollBell();
  connectSocket();
  let signedInAs = readAuth()?.userId;
  window.addEventListener('nal:auth', () => {
    render();
    pollBell();
    // a refreshed token keeps the socket; another artist, or none, starts over
    if (readAuth()?.userId !== signedInAs) {
      signedInAs = readAuth()?.userId;
      lastId = null;
      connectSocket();
    }
  });
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') refreshBell();
  });
}
