// `/community`: artists whose music is like yours, artists worth collaborating with, and the
// collaboration requests made to and by you (accept, decline, withdraw).
import { api, ApiError } from '../api.mjs';
import { announce, busy, errorBox, fatal, field, h, main, replace } from '../dom.mjs';
import { installNav, profileUrl } from '../nav.mjs';
import { readAuth } from '../session.mjs';

const TYPES = {
  'genre-fusion': 'Genre fusion',
  'skill-exchange': 'Skill exchange',
  'mood-contrast': 'Mood contrast',
};

function percent(score) {
  return `${Math.round(score * 100)}%`;
}

function artistLine(artist) {
  const taste = [artist.primaryGenre, artist.preferredMood].filter(Boolean).join(' · ');
  return h(
    'p',
    { class: 'artist-line' },
    h('a', { href: profileUrl(artist.artistName) }, artist.artistName),
    taste ? h('span', { class: 'taste' }, ` ${taste}`) : null,
  );
}

function matchItem(match) {
  return h(
    'li',
    { class: 'match' },
    artistLine(match.artist),
    h('p', { class: 'score' }, `${percent(match.similarity)} alike`),
    match.reasons.length ? h('ul', { class: 'reasons' }, match.reasons.map((r) => h('li', {}, r))) : null,
  );
}

function askForm(artist, onAsked) {
  const { field: messageField, input } = field('Message (optional)', { maxlength: 500, hint: 'Up to 500 characters' });
  const slot = h('div', {});
  const button = h('button', { type: 'submit' }, `Ask ${artist.artistName} to collaborate`);
  const form = h('form', { class: 'ask' }, messageField, button, slot);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    busy(button, slot, async () => {
      await api(`/api/community/collaborations/${encodeURIComponent(artist.id)}/request`, {
        method: 'POST',
        auth: true,
        body: input.value.trim() ? { message: input.value } : undefined,
      });
      replace(form, h('p', { class: 'done' }, `Request sent to ${artist.artistName}.`));
      announce(`Request sent to ${artist.artistName}.`);
      onAsked();
    });
  });
  return form;
}

function collaborationItem(suggestion, { sent, received, onAsked }) {
  const artist = suggestion.artist;
  let next;
  if (sent.has(artist.id)) next = h('p', { class: 'done' }, `Request sent to ${artist.artistName}.`);
  else if (received.has(artist.id)) next = h('p', { class: 'done' }, `${artist.artistName} asked you: answer below.`);
  else next = askForm(artist, onAsked);
  return h(
    'li',
    { class: 'collaboration' },
    artistLine(artist),
    h('p', { class: 'score' }, `${TYPES[suggestion.collaborationType] ?? suggestion.collaborationType} · ${percent(suggestion.potential)} potential`),
    h('p', { class: 'reason' }, suggestion.reason),
    next,
  );
}

function requestItem(request, { incoming, onChanged }) {
  const other = incoming ? request.requester : request.recipient;
  const slot = h('div', {});
  const act = (label, path, method, done) => {
    const button = h('button', { type: 'button', class: label === 'Accept' ? '' : 'secondary' }, label);
    button.addEventListener('click', () =>
      busy(button, slot, async () => {
        await api(path, { method, auth: true });
        announce(done);
        onChanged();
      }),
    );
    return button;
  };
  const base = `/api/community/collaboration-requests/${encodeURIComponent(request.id)}`;
  const actions = incoming
    ? [act('Accept', `${base}/accept`, 'POST', `You now collaborate with ${other.artistName}.`),
       act('Decline', `${base}/decline`, 'POST', `Declined ${other.artistName}'s request.`)]
    : [act('Withdraw', base, 'DELETE', `Withdrew your request to ${other.artistName}.`)];
  return h(
    'li',
    { class: 'request' },
    h('p', {}, incoming ? 'From ' : 'To ', h('a', { href: profileUrl(other.artistName) }, other.artistName)),
    request.message ? h('blockquote', {}, request.message) : null,
    h('div', { class: 'actions' }, actions),
    slot,
  );
}

function section(id, title, body) {
  return h('section', { class: 'panel', 'aria-labelledby': id }, h('h2', { id }, title), body);
}

async function load(parts) {
  const [matches, collaborations, requests] = await Promise.all([
    api('/api/community/matches', { auth: true }),
    api('/api/community/collaborations', { auth: true }),
    api('/api/community/collaboration-requests', { auth: true }),
  ]);
  const reload = () => load(parts).catch((error) => replace(parts.requests, errorBox(error)));
  // a suggestion with an open request either way says so instead of offering to ask again
  const sent = new Set(requests.outgoing.map((r) => r.recipient.id));
  const received = new Set(requests.incoming.map((r) => r.requester.id));
  replace(
    parts.matches,
    matches.items.length
      ? h('ol', { class: 'matches' }, matches.items.map(matchItem))
      : h('p', {}, 'Nobody sounds like you yet. As more artists join, they will show up here.'),
  );
  replace(
    parts.collaborations,
    collaborations.items.length
      ? h('ol', { class: 'collaborations' }, collaborations.items.map((s) => collaborationItem(s, { sent, received, onAsked: reload })))
      : h('p', {}, 'No suggestions right now.'),
  );
  replace(
    parts.requests,
    h('h3', {}, 'Asked of you'),
    requests.incoming.length
      ? h('ul', { class: 'requests', id: 'incoming' }, requests.incoming.map((r) => requestItem(r, { incoming: true, onChanged: reload })))
      : h('p', {}, 'No requests waiting for you.'),
    h('h3', {}, 'Sent by you'),
    requests.outgoing.length
      ? h('ul', { class: 'requests', id: 'outgoing' }, requests.outgoing.map((r) => requestItem(r, { incoming: false, onChanged: reload })))
      : h('p', {}, 'No open requests.'),
  );
}

async function view() {
  if (!readAuth()) {
    replace(main(), h('section', { class: 'panel' }, h('h1', {}, 'Community'),
      h('p', {}, h('a', { href: '/signin?next=/community' }, 'Sign in'), ' to find artists like you.')));
    return;
  }
  const parts = { matches: h('div', {}, 'Loading…'), collaborations: h('div', {}, 'Loading…'), requests: h('div', {}, 'Loading…') };
  replace(
    main(),
    h('h1', { tabindex: '-1' }, 'Community'),
    section('matches-heading', 'Artists like you', parts.matches),
    section('collaborations-heading', 'Worth collaborating with', parts.collaborations),
    section('requests-heading', 'Collaboration requests', parts.requests),
  );
  try {
    await load(parts);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      window.location.assign('/signin?next=/community');
      return;
    }
    fatal(error);
  }
}

installNav();
view();
