// `/notifications`: what others did to your patterns and account, newest activity first.
// Opening an item marks it read; "Mark all read" clears the bell.
import { api, ApiError } from '../api.mjs';
import { announce, busy, fatal, h, main, replace } from '../dom.mjs';
import { installNav, profileUrl, refreshBell } from '../nav.mjs';
import { readAuth } from '../session.mjs';

const PATTERN_KINDS = new Set(['pattern_liked', 'pattern_commented', 'pattern_remixed']);

function target(note) {
  if (PATTERN_KINDS.has(note.kind)) return note.subjectTitle === null ? null : `/p/${encodeURIComponent(note.subjectId)}`;
  if (note.kind === 'new_follower') return note.actors.length ? profileUrl(note.actors[0].artistName) : null;
  return '/community';
}

function when(iso) {
  const seconds = Math.max(0, (Date.now() - new Date(iso).getTime()) / 1000);
  if (seconds < 60) return 'just now';
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`;
  return new Date(iso).toLocaleDateString();
}

async function markRead(body) {
  const answer = await api('/api/notifications/read', { method: 'POST', auth: true, body });
  await refreshBell();
  return answer;
}

function item(note) {
  const href = target(note);
  const text = href ? h('a', { href }, note.message) : note.message;
  const li = h(
    'li',
    { class: note.read ? 'notification' : 'notification unread', 'data-id': note.id },
    h('p', {}, text),
    h('p', { class: 'when' }, h('time', { datetime: note.updatedAt }, when(note.updatedAt)), note.read ? '' : ' · new'),
  );
  if (href && !note.read) {
    li.querySelector('a').addEventListener('click', async (event) => {
      // marked read before leaving: a request still in flight would be cut off by the navigation
      event.preventDefault();
      await markRead({ ids: [note.id] }).catch(() => {});
      window.location.assign(href);
    });
  }
  return li;
}

async function view() {
  if (!readAuth()) {
    replace(main(), h('section', { class: 'panel' }, h('h1', {}, 'Notifications'),
      h('p', {}, h('a', { href: '/signin?next=/notifications' }, 'Sign in'), ' to see your notifications.')));
    return;
  }
  const list = h('ul', { class: 'notifications', id: 'notifications' });
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, 'Show older');
  const slot = h('div', {});
  const markAll = h('button', { type: 'button', id: 'mark-all' }, 'Mark all read');
  const empty = h('p', { hidden: true }, 'Nothing yet. Likes, comments, remixes, follows and collaboration requests show up here.');
  replace(
    main(),
    h('h1', { tabindex: '-1' }, 'Notifications'),
    h('div', { class: 'notifications-actions' }, markAll),
    slot, empty, list, more,
  );
  let cursor = null;
  async function load() {
    const query = cursor ? `?cursor=${encodeURIComponent(cursor)}` : '';
    const page = await api(`/api/notifications${query}`, { auth: true });
    page.items.forEach((note) => list.append(item(note)));
    cursor = page.nextCursor;
    more.hidden = !cursor;
    empty.hidden = list.children.length > 0;
    markAll.disabled = page.unreadCount === 0;
  }
  more.addEventListener('click', () => busy(more, slot, load));
  // something new: draw the list again from the top (what was open stays a click away)
  window.addEventListener('nal:realtime', (event) => {
    if (event.detail.type !== 'notifications') return;
    cursor = null;
    replace(list);
    load().catch(() => {});
  });
  markAll.addEventListener('click', () => busy(markAll, slot, async () => {
    await markRead({ all: true });
    list.querySelectorAll('.unread').forEach((li) => {
      li.classList.remove('unread');
      li.querySelector('.when').lastChild.textContent = '';
    });
    markAll.disabled = true;
    announce('All notifications marked read.');
  }));
  try {
    await load();
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      window.location.assign('/signin?next=/notifications');
      return;
    }
    fatal(error);
  }
}

installNav();
view();
