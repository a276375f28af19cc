// Changing a pattern from its page: the creator refines it in words and can restore any
// version; another signed-in artist remixes it in words (variation, extension, or a mashup
// with a second pattern given by its link).
import { api } from '../api.mjs';
import { announce, busy, errorBox, field, h, replace } from '../dom.mjs';
import { profileUrl } from '../nav.mjs';
import { patternUrl } from './cards.mjs';

const REMIX_TYPES = [
  ['variation', 'Variation: the same idea, changed'],
  ['extension', 'Extension: the same idea with a new part'],
  ['mashup', 'Mashup: mixed with a second pattern'],
];

/** The pattern id in a pasted pattern address (…/p/{id}) or a bare id; null if neither. */
export function patternIdFrom(text) {
  const value = text.trim();
  const inAddress = /\/p\/([^/?#\s]+)\/?(?:[?#].*)?$/.exec(value);
  if (inAddress) {
    try {
      return decodeURIComponent(inAddress[1]);
    } catch {
      return null;
    }
  }
  return /^[A-Za-z0-9_-]{1,40}$/.test(value) ? value : null;
}

function when(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : date.toLocaleString('en', { dateStyle: 'medium', timeStyle: 'short' });
}

function patternPath(pattern, action = '') {
  return `/api/patterns/${encodeURIComponent(pattern.id)}${action ? `/${action}` : ''}`;
}

/** The creator's "Refine in words" form and versions list; `onChange(pattern)` redraws. */
export function refineSection(pattern, { onChange }) {
  const versions = h('ol', { class: 'versions', 'aria-label': 'Versions' });
  const versionSlot = h('div', { 'aria-live': 'polite' });
  const message = h('p', { class: 'muted refine-message', 'aria-live': 'polite' });
  const { field: box, input } = field('What should change?', {
    id: 'refine-feedback',
    name: 'feedback',
    required: true,
    maxlength: '500',
    autocomplete: 'off',
    hint: 'For example: more bass, a bit faster, make it dreamy.',
  });
  const send = h('button', { type: 'submit' }, 'Refine');
  const err = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'refine-form', novalidate: true }, box, send, err);

  async function loadVersions() {
    try {
      const page = await api(`${patternPath(pattern, 'versions')}?limit=50`, { auth: 'optional' });
      replace(versions, page.items.map(version));
    } catch (error) {
      replace(versionSlot, errorBox(error));
    }
  }

  function version(v) {
    const restore = v.current
      ? h('span', { class: 'muted' }, ' (current)')
      : h('button', { type: 'button', class: 'secondary small', 'aria-label': `Restore version ${v.number}` }, 'Restore');
    if (!v.current) {
      restore.addEventListener('click', () =>
        busy(restore, versionSlot, async () => {
          const answer = await api(patternPath(pattern, `versions/${v.number}/restore`), { method: 'POST', auth: true });
          await changed(answer, `Version ${v.number} restored as version ${answer.pattern.version}.`);
        }),
      );
    }
    return h('li', { dataset: { version: String(v.number) } }, h('span', {}, `Version ${v.number}: ${v.change}`), h('span', { class: 'muted' }, ` · ${when(v.createdAt)} `), restore);
  }

  async function changed(answer, words) {
    pattern = answer.pattern;
    message.textContent = answer.message || words;
    onChange(pattern);
    announce(words);
    await loadVersions();
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const feedback = input.value.trim();
    if (!feedback) {
      replace(err, h('p', { class: 'error', role: 'alert' }, 'Say in words what should change.'));
      input.focus();
      return;
    }
    busy(send, err, async () => {
      const answer = await api(patternPath(pattern, 'refine'), { method: 'POST', body: { feedback }, auth: true });
      input.value = '';
      await changed(answer, `Refined: now version ${answer.pattern.version}.`);
      input.focus();
    });
  });

  const section = h(
    'section',
    { class: 'panel', 'aria-labelledby': 'refine-heading' },
    h('h2', { id: 'refine-heading' }, 'Refine in words'),
    pattern.refinable ? form : h('p', { class: 'muted' }, 'This pattern was written by hand, so it changes by editing its code.'),
    message,
    h('h3', {}, 'Versions'),
    versions,
    versionSlot,
  );
  loadVersions();
  return section;
}

/** Another artist's "Remix" form: on success the page moves to the new remix. */
export function remixSection(pattern) {
  if (!pattern.isRemixable) {
    return h('section', { class: 'panel' }, h('h2', {}, 'Remix'), h('p', { class: 'muted' }, 'The creator keeps this pattern as it is: remixing is off.'));
  }
  const select = h(
    'select',
    { id: 'remix-type', name: 'remixType' },
    REMIX_TYPES.map(([value, text]) => h('option', { value }, text)),
  );
  const { field: box, input } = field('Your changes, in words', {
    id: 'remix-feedback',
    name: 'feedback',
    required: true,
    maxlength: '500',
    autocomplete: 'off',
    hint: 'For example: darker, with more bass.',
  });
  const { field: secondBox, input: second } = field('Second pattern: its link or id', {
    id: 'remix-second',
    name: 'secondPattern',
    maxlength: '300',
    autocomplete: 'off',
    hint: 'Open the other pattern’s page and copy its address.',
  });
  secondBox.hidden = true;
  select.addEventListener('change', () => {
    secondBox.hidden = select.value !== 'mashup';
  });
  const send = h('button', { type: 'submit' }, 'Remix');
  const err = h('div', { 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'remix-form', novalidate: true },
    h('div', { class: 'field' }, h('label', { for: 'remix-type' }, 'Kind of remix'), select),
    secondBox,
    box,
    send,
    err,
  );
  const refuse = (words, where) => {
    replace(err, h('p', { class: 'error', role: 'alert' }, words));
    where.focus();
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const body = { remixType: select.value, feedback: input.value.trim() };
    if (body.remixType === 'mashup') {
      body.secondPatternId = patternIdFrom(second.value);
      if (!body.secondPatternId) return refuse('Paste the link of the pattern to mix with.', second);
    }
    if (!body.feedback) return refuse('Say in words how your remix should differ.', input);
    return busy(send, err, async () => {
      const remix = await api(patternPath(pattern, 'remix'), { method: 'POST', body, auth: true });
      announce('Remix saved. Opening it…');
      window.location.assign(patternUrl(remix.id));
    });
  });
  return h('section', { class: 'panel', 'aria-labelledby': 'remix-heading' }, h('h2', { id: 'remix-heading' }, 'Remix'), form);
}

/** Where the pattern comes from and what was made from it. */
export function lineageSection(pattern) {
  const body = h('div', {}, h('p', { class: 'muted' }, 'Loading the family…'));
  const section = h('section', { class: 'panel', 'aria-labelledby': 'lineage-heading' }, h('h2', { id: 'lineage-heading' }, 'Lineage'), body);
  const node = (n) =>
    h('li', {}, h('a', { href: patternUrl(n.id) }, n.title), ' by ', h('a', { href: profileUrl(n.creator.artistName) }, n.creator.artistName), n.remixType ? h('span', { class: 'muted' }, ` · ${n.remixType}`) : null);
  api(patternPath(pattern, 'lineage'), { auth: 'optional' })
    .then((family) => {
      const parent = family.ancestors.find((a) => a.id === pattern.originalPatternId) ?? family.ancestors[0];
      const children = family.descendants.filter((d) => d.parentId === pattern.id);
      replace(
        body,
        parent
          ? h('p', { class: 'parent' }, `Remixed (${pattern.remixType ?? 'remix'}) from `, h('a', { href: patternUrl(parent.id), id: 'parent-link' }, parent.title), ' by ', parent.creator.artistName)
          : h('p', { class: 'muted' }, pattern.originalPatternId ? 'Remixed from a pattern you cannot see.' : 'An original pattern.'),
        h('h3', {}, 'Remixes'),
        children.length ? h('ul', { class: 'plain', 'aria-label': 'Remixes' }, children.map(node)) : h('p', { class: 'muted' }, 'No remixes yet.'),
        family.truncated ? h('p', { class: 'muted' }, 'The family is larger than shown here.') : null,
      );
    })
    .catch((error) => replace(body, errorBox(error)));
  return section;
}
