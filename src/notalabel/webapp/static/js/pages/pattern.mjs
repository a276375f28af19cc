// One pattern's page `/p/{id}`: the playable card, who made it, its counters, Like, the
// comments, Refine (its creator) or Remix (other artists), and its remix family.
import { api, ApiError, describeError } from '../api.mjs';
import { announce, busy, errorBox, h, main, replace } from '../dom.mjs';
import { commentsSection } from '../library/comments.mjs';
import { count, tagLinks } from '../library/cards.mjs';
import { lineageSection, refineSection, remixSection } from '../library/workshop.mjs';
import { installNav, profileUrl } from '../nav.mjs';
import { patternCard } from '../pattern.mjs';
import { readAuth } from '../session.mjs';

function idFromAddress() {
  const raw = window.location.pathname.replace(/^\/p\//, '');
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

function apiPath(id, action = '') {
  return `/api/patterns/${encodeURIComponent(id)}${action ? `/${action}` : ''}`;
}

/** The counters line, kept current as likes, plays and comments move. */
function counters(pattern) {
  const state = { likes: pattern.likes, plays: pattern.plays, comments: pattern.comments, remixes: pattern.remixes };
  const cells = {
    likes: h('li', { id: 'likes-count' }),
    plays: h('li', { id: 'plays-count' }),
    comments: h('li', { id: 'comments-count' }),
    remixes: h('li', { id: 'remixes-count' }),
  };
  const words = { likes: ['like'], plays: ['play'], comments: ['comment'], remixes: ['remix', 'remixes'] };
  const draw = () => {
    for (const key of Object.keys(cells)) cells[key].textContent = count(state[key], ...words[key]);
  };
  draw();
  return {
    list: h('ul', { class: 'counts', 'aria-label': 'Counts' }, Object.values(cells)),
    set(next) {
      Object.assign(state, next);
      draw();
    },
    add(key, delta) {
      state[key] = Math.max(0, state[key] + delta);
      draw();
    },
  };
}

/** Like / Unlike, starting from whether the visitor already likes it. */
function likeButton(pattern, counts) {
  let liked = false;
  let clicked = false;
  const button = h('button', { type: 'button', id: 'like', 'aria-pressed': 'false' }, 'Like');
  const slot = h('div', { 'aria-live': 'polite' });
  const show = (state) => {
    liked = state.liked;
    counts.set({ likes: state.likes });
    button.textContent = liked ? 'Unlike' : 'Like';
    button.setAttribute('aria-pressed', String(liked));
  };
  api(apiPath(pattern.id, 'like'), { auth: true })
    // an answer that arrives after a click is older than what the click showed
    .then((state) => clicked || show(state))
    .catch(() => {
      // without the state the button still works: PUT and DELETE are idempotent
    });
  button.addEventListener('click', () =>
    busy(button, slot, async () => {
      clicked = true;
      show(await api(apiPath(pattern.id, 'like'), { method: liked ? 'DELETE' : 'PUT', auth: true }));
      announce(liked ? 'You like this pattern.' : 'Like taken back.');
    }).then(() => button.focus()),
  );
  return h('div', { class: 'like' }, button, slot);
}

/** Count one play per page view, when the player first reports that it is playing. */
function countPlays(card, pattern, counts) {
  let counted = false;
  const observer = new MutationObserver(() => {
    if (counted || card.dataset.playerState !== 'playing') return;
    counted = true;
    observer.disconnect();
    api(apiPath(pattern.id, 'play'), { method: 'POST', auth: 'optional' })
      .then((state) => counts.set({ plays: state.plays }))
      .catch(() => {
        // a play that could not be counted must not stop the music
      });
  });
  observer.observe(card, { attributes: true, attributeFilter: ['data-player-state'] });
}

function view(pattern) {
  const auth = readAuth();
  const isCreator = Boolean(auth && auth.userId === pattern.creator.id);
  const counts = counters(pattern);
  const cardSlot = h('div', { class: 'card-slot' });
  const drawCard = (p) => {
    const card = patternCard(p, { title: p.title });
    replace(cardSlot, card);
    countPlays(card, p, counts);
    version.textContent = `Version ${p.version}`;
  };
  const version = h('span', { class: 'muted', id: 'pattern-version' });
  drawCard(pattern);

  let work;
  if (isCreator) work = refineSection(pattern, { onChange: drawCard });
  else if (auth) work = remixSection(pattern);
  else work = h('section', { class: 'panel' }, h('h2', {}, 'Remix'), h('p', { class: 'muted' }, h('a', { href: '/signin' }, 'Sign in'), ' to like, comment on or remix this pattern.'));

  return h(
    'article',
    { class: 'pattern-page', 'aria-labelledby': 'pattern-title' },
    h(
      'header',
      { class: 'panel' },
      h('h1', { id: 'pattern-title', tabindex: '-1' }, pattern.title),
      h('p', { class: 'by' }, 'by ', h('a', { href: profileUrl(pattern.creator.artistName) }, pattern.creator.artistName), ' · ', version),
      tagLinks(pattern.tags),
      counts.list,
      auth ? likeButton(pattern, counts) : null,
      h('p', {}, h('a', { href: `${profileUrl(pattern.creator.artistName)}/patterns` }, `More by ${pattern.creator.artistName}`)),
    ),
    cardSlot,
    work,
    lineageSection(pattern),
    commentsSection(pattern, { onCount: (delta) => counts.add('comments', delta) }),
  );
}

async function load() {
  const id = idFromAddress();
  replace(main(), h('p', { class: 'muted loading', role: 'status' }, 'Loading the pattern…'));
  let pattern;
  try {
    pattern = await api(apiPath(id), { auth: 'optional' });
  } catch (error) {
    const missing = error instanceof ApiError && error.status === 404;
    replace(
      main(),
      h(
        'section',
        { class: 'panel' },
        h('h1', { tabindex: '-1' }, missing ? 'Pattern not found' : 'The pattern could not be loaded'),
        missing ? h('p', { class: 'error', role: 'alert' }, 'No pattern here: it may be private or deleted.') : errorBox(error),
        missing ? h('p', {}, h('a', { href: '/discover' }, 'Discover other patterns')) : h('button', { type: 'button', id: 'retry', onclick: () => load() }, 'Try again'),
      ),
    );
    announce(missing ? 'Pattern not found.' : describeError(error));
    return;
  }
  document.title = `${pattern.title} · Not a Label`;
  replace(main(), view(pattern));
}

installNav();
load();
