// Discover `/discover`: the Recent, Trending and (signed in) Following feeds, and a search
// box; every entry is a compact card linking to its pattern page.
import { announce, field, h, main, replace } from '../dom.mjs';
import { pagedList } from '../library/cards.mjs';
import { installNav } from '../nav.mjs';
import { readAuth } from '../session.mjs';

const FEEDS = [
  ['recent', 'Recent', '/api/feeds/recent', 'No public patterns yet.'],
  ['trending', 'Trending', '/api/feeds/trending', 'Nothing is trending yet.'],
  ['following', 'Following', '/api/feeds/following', 'The artists you follow have no public patterns yet.'],
];

function view() {
  const signedIn = Boolean(readAuth());
  const results = h('section', { class: 'panel', 'aria-labelledby': 'results-heading' });
  const tabs = h('div', { class: 'feed-tabs', role: 'group', 'aria-label': 'Feeds' });
  const buttons = [];

  function show(heading, path, empty, pressed) {
    for (const b of buttons) b.setAttribute('aria-pressed', String(b === pressed));
    const list = pagedList(path, { label: heading, empty, auth: path.includes('following') ? true : 'optional' });
    replace(results, h('h2', { id: 'results-heading', tabindex: '-1' }, heading), list.element);
    return list.load();
  }

  for (const [key, label, path, empty] of FEEDS) {
    if (key === 'following' && !signedIn) continue;
    const button = h('button', { type: 'button', class: 'secondary', 'aria-pressed': 'false', dataset: { feed: key } }, label);
    button.addEventListener('click', () => show(label, path, empty, button).then(() => announce(`${label} patterns shown.`)));
    buttons.push(button);
    tabs.append(button);
  }

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
    h('section', { class: 'panel' }, form, error, tabs, signedIn ? null : h('p', { class: 'muted' }, h('a', { href: '/signin' }, 'Sign in'), ' for the feed of artists you follow.')),
    results,
  );
  const [key, label, path, empty] = FEEDS[0];
  show(label, path, empty, buttons.find((b) => b.dataset.feed === key));
}

installNav();
view();
