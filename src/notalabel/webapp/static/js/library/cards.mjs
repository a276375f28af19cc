// Pieces the library pages share: the pattern's address, a compact card that links to it,
// and a list that grows with "Load more" by following the API's cursor.
import { api } from '../api.mjs';
import { busy, h, replace, showError } from '../dom.mjs';
import { profileUrl } from '../nav.mjs';
import { patternLine } from '../pattern.mjs';

/** Address of a pattern's page. */
export function patternUrl(id) {
  return `/p/${encodeURIComponent(id)}`;
}

/** "1 like" / "3 likes". */
export function count(n, one, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`;
}

/** A pattern's tags, each a link to the Discover feeds narrowed to it; null when it has none. */
export function tagLinks(tags) {
  if (!tags?.length) return null;
  const links = tags.map((t) => [h('a', { href: `/discover?tag=${encodeURIComponent(t)}` }, `#${t}`), ' ']);
  return h('p', { class: 'tags' }, links);
}

/** A compact card: title linking to the pattern page, creator, one line, counters. */
export function compactCard(pattern) {
  const counters = [
    count(pattern.likes ?? 0, 'like'),
    count(pattern.plays ?? 0, 'play'),
    count(pattern.comments ?? 0, 'comment'),
    count(pattern.remixes ?? 0, 'remix', 'remixes'),
  ].join(' · ');
  return h(
    'li',
    { class: 'compact-card' },
    h('h3', {}, h('a', { href: patternUrl(pattern.id) }, pattern.title || 'Untitled')),
    pattern.creator
      ? h('p', { class: 'by' }, 'by ', h('a', { href: profileUrl(pattern.creator.artistName) }, pattern.creator.artistName))
      : null,
    h('p', { class: 'muted' }, patternLine(pattern)),
    tagLinks(pattern.tags),
    h('p', { class: 'muted counters' }, counters),
  );
}

/**
 * A list filled page by page from `path` (a URL with or without a query). Returns
 * {element, load()}; load() fetches the first page and resolves when it is drawn.
 */
export function pagedList(path, { label, render = compactCard, empty = 'Nothing here yet.', auth = 'optional' }) {
  const list = h('ul', { class: 'cards', 'aria-label': label });
  const slot = h('div', { 'aria-live': 'polite' });
  const more = h('button', { type: 'button', class: 'secondary load-more' }, 'Load more');
  more.hidden = true;
  let cursor = null;

  async function page() {
    const sep = path.includes('?') ? '&' : '?';
    const url = cursor ? `${path}${sep}cursor=${encodeURIComponent(cursor)}` : path;
    const answer = await api(url, { auth });
    const before = list.children.length;
    for (const item of answer.items) list.append(render(item));
    cursor = answer.nextCursor;
    more.hidden = !cursor;
    if (!list.children.length) replace(slot, h('p', { class: 'muted' }, empty));
    return before;
  }

  more.addEventListener('click', async () => {
    const before = await busy(more, slot, page);
    // keyboard users land on the first new entry instead of losing their place
    const first = typeof before === 'number' ? list.children[before]?.querySelector('a') : null;
    if (first) first.focus();
    else if (!more.hidden) more.focus();
  });

  async function load() {
    replace(list);
    replace(slot);
    cursor = null;
    try {
      await page();
    } catch (error) {
      showError(slot, error);
    }
  }

  return { element: h('div', { class: 'paged' }, list, slot, more), load };
}
