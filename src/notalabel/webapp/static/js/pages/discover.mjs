// Discover `/discover`: the Recent, Trending and (signed in) Following feeds narrowed by genre,
// mood or tag, and a search box; every entry is a compact card linking to its pattern page.
// The filters live in the address (`/discover?genre=techno&tag=night`), so a view can be shared.
import { api } from '../api.mjs';
import { announce, field, h, main, replace } from '../dom.mjs';
import { pagedList } from '../library/cards.mjs';
import { installNav } from '../nav.mjs';
import { readAuth } from '../session.mjs';

const FEEDS = [
  ['recent', 'Recent', '/api/feeds/recent', 'No public patterns yet.'],
  ['trending', 'Trending', '/api/feeds/trending', 'Nothing is trending yet.'],
  ['following', 'Following', '/api/feeds/following', 'The artists you follow have no public patterns yet.'],
];
const FILTER_KEYS = ['genre', 'mood', 'tag'];

function filtersFromAddress() {
  const params = new URLSearchParams(window.location.search);
  return Object.fromEntries(FILTER_KEYS.map((key) => [key, params.get(key) || null]));
}

function keepInAddress(filters) {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) if (filters[key]) params.set(key, filters[key]);
  const query = params.toString();
  window.history.replaceState(null, '', query ? `/discover?${query}` : '/discover');
}

/** A select of "Any …" and the ids the API lists, filled when they arrive. */
function filterSelect(label, anyLabel, id, current, onPick) {
  const select = h('select', { id, name: id }, h('option', { value: '' }, anyLabel));
  select.addEventListener('change', () => onPick(select.value || null));
  return {
    element: h('div', { class: 'field' }, h('label', { for: id }, label), select),
    fill(ids) {
      for (const value of ids) select.append(h('option', { value }, value));
      select.value = ids.includes(current) ? current : '';
    },
  };
}

function view() {
  const signedIn = Boolean(readAuth());
  const filters = filtersFromAddress();
  const results = h('section', { class: 'panel', 'aria-labelledby': 'results-heading' });
  const tabs = h('div', { class: 'feed-tabs', role: 'group', 'aria-label': 'Feeds' });
  const buttons = [];
  let feed = FEEDS[0];

  function feedPath(path) {
    const params = new URLSearchParams();
    for (const key of FILTER_KEYS) if (filters[key]) params.set(key, filters[key]);
    const query = params.toString();
    return query ? `${path}?${query}` : path;
  }

  function show(heading, path, empty, pressed) {
    for (const b of buttons) b.setAttribute('aria-pressed', String(b === pressed));
    const list = pagedList(path, { label: heading, empty, auth: path.includes('following') ? true : 'optional' });
    replace(results, h('h2', { id: 'results-heading', tabindex: '-1' }, heading), list.element);
    return list.load();
  }

  function showFeed(next = feed) {
    feed = next;
    const [key, label, path, empty] = feed;
    const narrowed = FILTER_KEYS.some((k) => filters[k]);
    return show(label, feedPath(path), narrowed ? 'No pattern matches these filters.' : empty, buttons.find((b) => b.dataset.feed === key));
  }

  function setFilter(key, value) {
    filters[key] = value;
    keepInAddress(filters);
    drawTag();
    showFeed().then(() => announce(`${results.querySelectorAll('.compact-card').length} patterns shown.`));
  }

  for (const entry of FEEDS) {
    const [key, label] = entry;
    if (key === 'following' && !signedIn) continue;
    const button = h('button', { type: 'button', class: 'secondary', 'aria-pressed': 'false', dataset: { feed: key } }, label);
    button.addEventListener('click', () => showFeed(entry).then(() => announce(`${label} patterns shown.`)));
    buttons.push(button);
    tabs.append(button);
  }

  const genre = filterSelect('Genre', 'Any genre', 'filter-genre', filters.genre, (v) => setFilter('genre', v));
  const mood = filterSelect('Mood', 'Any mood', 'filter-mood', filters.mood, (v) => setFilter('mood', v));
  const tagSlot = h('div', { class: 'tag-filter' });
  function drawTag() {
    if (!filters.tag) return replace(tagSlot);
    const clear = h('button', { type: 'button', class: 'secondary' }, 'Clear tag');
    clear.addEventListener('click', () => {
      setFilter('tag', null);
      genre.element.querySelector('select').focus();
    });
    return replace(tagSlot, h('span', { id: 'tag-filter' }, `Tag #${filters.tag}`), clear);
  }
  drawTag();
  api('/api/feeds/filters')
    .then((known) => {
      genre.fill(known.genres);
      mood.fill(known.moods);
    })
    .catch(() => {
      // the feeds work without their filters
    });
  const filterRow = h('div', { class: 'feed-filters', role: 'group', 'aria-label': 'Filters' }, genre.element, mood.element, tagSlot);

  const { field: box, input } = field('Search patterns', { id: 'search', type: 'search', name: 'q', maxlength: '200', autocomplete: 'off' });
  const go = h('button', { type: 'submit' }, 'Search');
  const error = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'search-form', role: 'search' }, box, go);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const q = input.value.trim();
    if (!q) {
      replace(error, h('p', { class: 'error', role: 'alert' }, 'Type a word to search for.'));
      input.focus();
      return;
    }
    replace(error);
    const heading = `Results for “${q}”`;
    show(heading, `/api/patterns/search?q=${encodeURIComponent(q)}`, 'No pattern matches those words.', null).then(() =>
      announce(`${results.querySelectorAll('.compact-card').length} results shown.`),
    );
  });

  replace(
    main(),
    h('h1', {}, 'Discover'),
    h(
      'section',
      { class: 'panel' },
      form,
      error,
      tabs,
      filterRow,
      h('p', { class: 'muted hint' }, 'Filters narrow the feeds; search looks through every public pattern.'),
      signedIn ? null : h('p', { class: 'muted' }, h('a', { href: '/signin' }, 'Sign in'), ' for the feed of artists you follow.'),
    ),
    results,
  );
  showFeed();
}

installNav();
view();
