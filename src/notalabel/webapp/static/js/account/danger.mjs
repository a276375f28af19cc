// "Your data": download everything as JSON, or delete the account for good (after typing the
// artist name, and a recent sign-in like any sensitive change).
import { api } from '../api.mjs';
import { announce, field, h } from '../dom.mjs';
import { clearAuth, readAuth } from '../session.mjs';
import { attempt } from './common.mjs';
import { section } from './profile.mjs';
import { withReauth } from './reauth.mjs';

function saveJson(data, filename) {
  const blob = new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const link = h('a', { href: url, download: filename });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The "Your data" section: export and delete. */
export function dataSection(me) {
  const slot = h('div', { class: 'error-slot' });
  const exportButton = h('button', { type: 'button', class: 'secondary' }, 'Download my data');
  exportButton.addEventListener('click', async () => {
    const data = await attempt(exportButton, slot, () =>
      api('/api/users/me/export', { auth: true }),
    );
    if (!data) return;
    saveJson(data, `not-a-label-${readAuth()?.artistName ?? me.artistName}.json`);
    announce('Your data is downloading.');
  });

  const confirm = field('Type your artist name to confirm', {
    id: 'me-delete-confirm',
    autocomplete: 'off',
    spellcheck: 'false',
    required: true,
    hint: 'Deleting erases your account, patterns, follows and security log. It cannot be undone.',
  });
  const remove = h('button', { type: 'submit', class: 'danger' }, 'Delete my account');
  const form = h('form', { 'aria-label': 'Delete my account' }, confirm.field, remove);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const name = readAuth()?.artistName ?? me.artistName;
    if (confirm.input.value.trim() !== name) {
      confirm.input.setAttribute('aria-invalid', 'true');
      announce(`Type ${name} exactly to delete the account.`);
      confirm.input.focus();
      return;
    }
    const done = await attempt(remove, slot, async () => {
      await withReauth(() => api('/api/users/me', { method: 'DELETE', auth: true }));
      return true;
    });
    if (!done) return;
    clearAuth();
    window.location.assign('/');
  });
  return section('data', 'Your data', h('div', { class: 'row' }, exportButton), slot, form);
}
