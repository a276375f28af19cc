// An artist's library `/@{name}/patterns`: their patterns newest first (public ones for
// visitors, all of them for the artist), each a compact card linking to its page.
import { h, main, replace } from '../dom.mjs';
import { pagedList } from '../library/cards.mjs';
import { installNav, profileUrl } from '../nav.mjs';

function artistFromAddress() {
  const raw = window.location.pathname.replace(/^\/@/, '').replace(/\/patterns\/?$/, '');
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

function view() {
  const name = artistFromAddress();
  document.title = `${name}'s patterns · Not a Label`;
  const list = pagedList(`/api/users/${encodeURIComponent(name)}/patterns`, {
    label: `Patterns by ${name}`,
    empty: 'No patterns yet.',
  });
  replace(
    main(),
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'library-heading' },
      h('h1', { id: 'library-heading', tabindex: '-1' }, `Patterns by ${name}`),
      h('p', {}, h('a', { href: profileUrl(name) }, `Back to ${name}'s profile`), ' · ', h('a', { href: '/discover' }, 'Discover more')),
      list.element,
    ),
  );
  list.load();
}

installNav();
view();
