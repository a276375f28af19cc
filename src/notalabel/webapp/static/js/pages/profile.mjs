// An artist's public profile: who they are, their counts, their signature pattern (playable)
// and DNA; signed in, Follow / Block buttons that show the current relationship.
import { api, ApiError, describeError } from '../api.mjs';
import { announce, errorBox, h, main, replace } from '../dom.mjs';
import { installNav, profileUrl } from '../nav.mjs';
import { patternCard } from '../pattern.mjs';
import { readAuth } from '../session.mjs';

const SOCIAL = { spotify: 'Spotify', soundcloud: 'SoundCloud', instagram: 'Instagram', twitter: 'X / Twitter' };
const LINK_REL = 'noopener noreferrer nofollow';
const ACHIEVEMENTS = {
  first_beat: 'First beat',
  musical_identity_created: 'Musical identity created',
  first_like: 'First like',
  ten_likes: '10 likes',
  hundred_likes: '100 likes',
  first_follower: 'First follower',
  ten_followers: '10 followers',
  hundred_followers: '100 followers',
  first_new_pattern: 'A new pattern',
  ten_patterns: '10 patterns',
  first_remixed: 'Remixed by another artist',
  first_remix: 'First remix',
  first_collaboration: 'First collaboration',
};

function artistFromAddress() {
  try {
    return decodeURIComponent(window.location.pathname.slice(2));
  } catch {
    return window.location.pathname.slice(2);
  }
}

function userPath(ref, action = '') {
  return `/api/users/${encodeURIComponent(ref)}${action ? `/${action}` : ''}`;
}

function joined(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return null;
  return date.toLocaleDateString('en', { year: 'numeric', month: 'long', day: 'numeric' });
}

function noun(n, one, many) {
  return n === 1 ? one : many;
}

function externalLink(href, text) {
  // only web addresses become links; anything else (a handle) stays text
  if (!/^https:\/\//i.test(href)) return h('span', {}, `${text}: ${href}`);
  return h('a', { href, rel: LINK_REL, target: '_blank' }, text);
}

function achievementLabel(code) {
  return ACHIEVEMENTS[code] ?? code.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());
}

/** The counts list; returns {list, update(counts)}. */
function countsList(counts) {
  const cells = {
    followers: h('strong', { id: 'followers-count' }),
    following: h('strong', {}),
    patterns: h('strong', {}),
  };
  const words = { followers: ['follower', 'followers'], following: ['following', 'following'], patterns: ['pattern', 'patterns'] };
  const labels = {};
  const list = h(
    'ul',
    { class: 'counts', 'aria-label': 'Counts' },
    Object.keys(cells).map((key) => h('li', {}, cells[key], (labels[key] = h('span', {})))),
  );
  const current = {};
  const update = (next) => {
    for (const key of Object.keys(cells)) {
      if (typeof next[key] === 'number') current[key] = next[key];
      const n = current[key] ?? 0;
      cells[key].textContent = String(n);
      labels[key].textContent = ` ${noun(n, ...words[key])}`;
    }
  };
  update(counts);
  return { list, update, current };
}

/** Follow / Block controls for a signed-in visitor who is not the artist. */
function relationControls(profile, counts) {
  const name = profile.artistName;
  const slot = h('div', { class: 'relation-error', 'aria-live': 'polite' });
  let following = Boolean(profile.viewer?.following);
  let blocked = false;
  const follow = h('button', { type: 'button', id: 'follow' });
  const block = h('button', { type: 'button', id: 'block', class: 'secondary' });

  const draw = () => {
    follow.textContent = following ? 'Unfollow' : 'Follow';
    follow.setAttribute('aria-pressed', String(following));
    follow.hidden = blocked;
    block.textContent = blocked ? 'Unblock' : 'Block';
    block.setAttribute('aria-pressed', String(blocked));
  };

  async function act(button, work) {
    // a disabled button drops the focus: give it back when the answer is in
    const hadFocus = document.activeElement === button;
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    replace(slot);
    try {
      await work();
    } catch (error) {
      replace(slot, errorBox(error));
    } finally {
      button.disabled = false;
      button.removeAttribute('aria-busy');
      draw();
      if (hadFocus && !button.hidden) button.focus();
    }
  }

  follow.addEventListener('click', () =>
    act(follow, async () => {
      const method = following ? 'DELETE' : 'POST';
      const state = await api(userPath(profile.id, 'follow'), { method, auth: true });
      following = state.following;
      counts.update({ followers: state.followersCount });
      announce(following ? `You follow ${name}.` : `You no longer follow ${name}.`);
    }),
  );
  block.addEventListener('click', () =>
    act(block, async () => {
      const method = blocked ? 'DELETE' : 'POST';
      const state = await api(userPath(profile.id, 'block'), { method, auth: true });
      blocked = state.blocked;
      if (blocked && following) {
        following = false;
        // the block ended the follow too
        counts.update({ followers: Math.max(0, counts.current.followers - 1) });
      }
      announce(blocked ? `You blocked ${name}. They can no longer see your profile.` : `You unblocked ${name}.`);
    }),
  );
  draw();
  return h('div', { class: 'relation' }, h('div', { class: 'row' }, follow, block), slot);
}

function profileView(profile) {
  const counts = countsList(profile.counts ?? {});
  const auth = readAuth();
  const isSelf = profile.viewer?.isSelf ?? (auth && auth.userId === profile.id);
  const links = Object.entries(profile.socialLinks ?? {}).filter(([, v]) => v);
  const since = joined(profile.joinedAt);
  const pattern = profile.signaturePattern;
  const hasPattern = pattern && (pattern.strudelCode || pattern.code);

  let actions = null;
  if (isSelf) {
    actions = h('p', {}, h('a', { href: '/me', class: 'button secondary' }, 'Edit your profile'));
  } else if (auth && profile.viewer) {
    actions = relationControls(profile, counts);
  } else if (!auth) {
    actions = h('p', { class: 'muted' }, h('a', { href: '/signin' }, 'Sign in'), ' to follow this artist.');
  }

  return h(
    'article',
    { class: 'profile', 'aria-labelledby': 'artist-name' },
    h(
      'header',
      { class: 'panel profile-head' },
      h('h1', { id: 'artist-name', tabindex: '-1' }, profile.avatar && !profile.avatar.startsWith('https://') ? `${profile.avatar} ` : null, profile.artistName),
      profile.bio ? h('p', { class: 'bio' }, profile.bio) : null,
      h(
        'ul',
        { class: 'plain facts' },
        profile.location ? h('li', {}, `Based in ${profile.location}`) : null,
        since ? h('li', {}, `Joined ${since}`) : null,
        profile.website ? h('li', {}, externalLink(profile.website, 'Website')) : null,
        links.map(([network, value]) => h('li', {}, externalLink(value, SOCIAL[network] ?? network))),
      ),
      counts.list,
      actions,
    ),
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'signature-heading' },
      h('h2', { id: 'signature-heading' }, 'Signature pattern'),
      hasPattern
        ? patternCard(pattern, { dna: profile.musicDNA, title: 'Signature' })
        : h('p', { class: 'muted' }, 'No signature pattern yet.'),
      h('p', {}, h('a', { href: `${profileUrl(profile.artistName)}/patterns` }, `All patterns by ${profile.artistName}`)),
    ),
    collaboratorsSection(profile, isSelf),
    profile.achievements?.length
      ? h(
          'section',
          { class: 'panel', 'aria-labelledby': 'achievements-heading' },
          h('h2', { id: 'achievements-heading' }, 'Achievements'),
          h('ul', { class: 'chips achievements' }, profile.achievements.map((a) => h('li', {}, achievementLabel(a)))),
        )
      : null,
  );
}

/** The artists this one collaborates with, filled in once the list arrives. */
function collaboratorsSection(profile, isSelf) {
  const body = h('p', { class: 'muted' }, 'Loading collaborators…');
  const section = h(
    'section',
    { class: 'panel', 'aria-labelledby': 'collaborators-heading' },
    h('h2', { id: 'collaborators-heading' }, 'Collaborators'),
    body,
    isSelf ? h('p', {}, h('a', { href: '/community' }, 'Find artists to collaborate with')) : null,
  );
  api(`${userPath(profile.id, 'collaborators')}`, { auth: 'optional' })
    .then((list) => {
      body.replaceWith(
        list.items.length
          ? h('ul', { class: 'plain collaborators' }, list.items.map((c) => h('li', {}, h('a', { href: profileUrl(c.artistName) }, c.artistName))))
          : h('p', { class: 'muted' }, 'No collaborations yet.'),
      );
    })
    .catch((error) => body.replaceWith(errorBox(error)));
  return section;
}

/** A 404 in words; a signed-in visitor who blocked the artist can lift the block here. */
async function notFound(name) {
  const box = h('section', { class: 'panel' }, h('h1', { tabindex: '-1' }, 'Artist not found'));
  box.append(h('p', { class: 'error', role: 'alert' }, `No artist called ${name}.`));
  box.append(h('p', {}, h('a', { href: '/' }, 'Find your own sound'), ' or check the spelling.'));
  replace(main(), box);
  if (!readAuth()) return;
  try {
    const page = await api('/api/users/me/blocks?limit=100', { auth: true });
    const mine = page.items.find((a) => a.artistName.toLowerCase() === name.toLowerCase());
    if (!mine) return;
    const slot = h('div', { 'aria-live': 'polite' });
    const unblock = h('button', { type: 'button', id: 'block', 'aria-pressed': 'true' }, 'Unblock');
    unblock.addEventListener('click', async () => {
      unblock.disabled = true;
      try {
        await api(userPath(mine.id, 'block'), { method: 'DELETE', auth: true });
        announce(`You unblocked ${mine.artistName}.`);
        await load();
      } catch (error) {
        unblock.disabled = false;
        replace(slot, errorBox(error));
      }
    });
    box.append(h('p', {}, `You blocked ${mine.artistName}, so their profile is hidden from you.`), unblock, slot);
  } catch {
    // the not-found answer above already says what matters
  }
}

async function load() {
  const name = artistFromAddress();
  document.title = `${name} · Not a Label`;
  replace(main(), h('p', { class: 'muted loading', role: 'status' }, `Loading ${name}…`));
  let profile;
  try {
    profile = await api(userPath(name), { auth: 'optional' });
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      await notFound(name);
      return;
    }
    replace(
      main(),
      h('section', { class: 'panel' }, h('h1', { tabindex: '-1' }, name), errorBox(error)),
      h('p', {}, h('button', { type: 'button', id: 'retry', onclick: () => load() }, 'Try again')),
    );
    announce(describeError(error));
    return;
  }
  if (profile.artistName !== name && window.history.replaceState) {
    // the address follows the artist's current spelling
    window.history.replaceState(null, '', profileUrl(profile.artistName));
  }
  document.title = `${profile.artistName} · Not a Label`;
  replace(main(), profileView(profile));
}

installNav();
load();
