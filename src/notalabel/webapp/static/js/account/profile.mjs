// The "Profile" section of /me: the artist name (its own form: renaming has its own rules and
// may answer with suggestions), then bio, location, links and notification preferences.
import { ApiError, api } from '../api.mjs';
import { announce, field, h, replace } from '../dom.mjs';
import { profileUrl } from '../nav.mjs';
import { rememberArtist } from '../session.mjs';
import { attempt } from './common.mjs';

const NETWORKS = [
  ['spotify', 'Spotify'],
  ['soundcloud', 'SoundCloud'],
  ['instagram', 'Instagram'],
  ['twitter', 'Twitter / X'],
];
const NOTIFICATIONS = [
  ['newFollowers', 'New followers'],
  ['patternLikes', 'Likes on my patterns'],
  ['collaborationRequests', 'Collaboration requests'],
  ['communityUpdates', 'Community updates'],
];

/** A section with a heading (h2) that labels it. */
export function section(id, title, ...children) {
  return h(
    'section',
    { class: 'panel account-section', id, 'aria-labelledby': `${id}-title` },
    h('h2', { id: `${id}-title`, tabindex: '-1' }, title),
    ...children,
  );
}

function nameForm(me, link) {
  const slot = h('div', { class: 'error-slot' });
  const choices = h('div', { class: 'chips', 'aria-label': 'Names you could take' });
  const name = field('Artist name', {
    id: 'me-artist-name',
    value: me.artistName,
    autocomplete: 'nickname',
    spellcheck: 'false',
    required: true,
    dataset: { field: 'artistName' },
  });
  const submit = h('button', { type: 'submit', class: 'secondary' }, 'Rename');
  const form = h('form', { 'aria-label': 'Change artist name' }, name.field, slot, choices, submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    replace(choices);
    const wanted = name.input.value.trim();
    const done = await attempt(
      submit,
      slot,
      async () => {
        try {
          return await api('/api/users/me/artist-name', {
            method: 'POST',
            body: { artistName: wanted },
            auth: true,
          });
        } catch (error) {
          const offered = error instanceof ApiError ? error.details?.suggestions : null;
          if (Array.isArray(offered)) showChoices(choices, offered, name.input);
          throw error;
        }
      },
      form,
    );
    if (!done) return;
    name.input.value = done.artistName;
    rememberArtist(done.artistName, done.id);
    link.href = profileUrl(done.artistName);
    replace(link, `See your public profile (@${done.artistName})`);
    const title = document.getElementById('me-title');
    if (title) title.textContent = `@${done.artistName}`;
    announce(`You are now @${done.artistName}.`);
  });
  return form;
}

function showChoices(chips, names, input) {
  replace(
    chips,
    names.map((suggested) => {
      const chip = h('button', { type: 'button' }, suggested);
      chip.addEventListener('click', () => {
        input.value = suggested;
        input.focus();
      });
      return chip;
    }),
  );
}

function detailsForm(me) {
  const slot = h('div', { class: 'error-slot' });
  const bio = field('Bio', {
    id: 'me-bio',
    multiline: true,
    maxlength: 300,
    dataset: { field: 'bio' },
  });
  bio.input.value = me.bio ?? '';
  const location = field('Location', {
    id: 'me-location',
    value: me.location ?? '',
    maxlength: 100,
    dataset: { field: 'location' },
  });
  const website = field('Website', {
    id: 'me-website',
    type: 'url',
    value: me.website ?? '',
    placeholder: 'https://',
    inputmode: 'url',
    dataset: { field: 'website' },
  });
  const links = NETWORKS.map(([key, label]) =>
    field(label, {
      id: `me-social-${key}`,
      value: me.socialLinks?.[key] ?? '',
      hint: 'A handle or an https:// link.',
      spellcheck: 'false',
      dataset: { field: key },
    }),
  );
  const current = me.preferences?.notifications ?? {};
  const boxes = NOTIFICATIONS.map(([key, label]) => {
    const box = h('input', { type: 'checkbox', id: `me-notify-${key}`, checked: !!current[key] });
    return { key, box, row: h('div', { class: 'check' }, box, h('label', { for: box.id }, label)) };
  });
  const submit = h('button', { type: 'submit' }, 'Save profile');
  const form = h(
    'form',
    { 'aria-label': 'Profile details', novalidate: true },
    bio.field,
    location.field,
    website.field,
    h(
      'fieldset',
      {},
      h('legend', {}, 'Links'),
      links.map((l) => l.field),
    ),
    h(
      'fieldset',
      {},
      h('legend', {}, 'Tell me about'),
      boxes.map((b) => b.row),
    ),
    slot,
    submit,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const orNull = (input) => input.value.trim() || null;
    const body = {
      bio: bio.input.value.trim(),
      location: orNull(location.input),
      website: orNull(website.input),
      socialLinks: Object.fromEntries(links.map((l, i) => [NETWORKS[i][0], orNull(l.input)])),
      preferences: { notifications: Object.fromEntries(boxes.map((b) => [b.key, b.box.checked])) },
    };
    const saved = await attempt(
      submit,
      slot,
      () => api('/api/users/me', { method: 'PATCH', body, auth: true }),
      form,
    );
    if (saved) announce('Your profile is saved.');
  });
  return form;
}

/** The Profile section. */
export function profileSection(me) {
  const link = h(
    'a',
    { href: profileUrl(me.artistName) },
    `See your public profile (@${me.artistName})`,
  );
  return section('profile', 'Profile', h('p', {}, link), nameForm(me, link), detailsForm(me));
}
