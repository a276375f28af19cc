// "Email and password" on /me: attach an email in two steps (address, then the 6-digit code
// mailed to it) and set or change the password. Both are sensitive: withReauth asks again.
import { api } from '../api.mjs';
import { announce, field, h, replace } from '../dom.mjs';
import { attempt } from './common.mjs';
import { section } from './profile.mjs';
import { withReauth } from './reauth.mjs';

function emailStatus(email) {
  return email ? ['Your sign-in email is ', h('strong', {}, email), '.'] : 'No email yet.';
}

function codeStep(address, status, host, emailInput) {
  const slot = h('div', { class: 'error-slot' });
  const code = field('The 6-digit code', {
    id: 'me-email-code',
    inputmode: 'numeric',
    autocomplete: 'one-time-code',
    pattern: '[0-9]{6}',
    maxlength: 6,
    required: true,
    dataset: { field: 'code' },
    hint: `We sent it to ${address}. It works once, for 15 minutes.`,
  });
  const submit = h('button', { type: 'submit' }, 'Confirm email');
  const form = h('form', { 'aria-label': 'Confirm the email code' }, code.field, slot, submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const done = await attempt(
      submit,
      slot,
      () =>
        withReauth(() =>
          api('/api/users/me/email/verify', {
            method: 'POST',
            body: { code: code.input.value.trim() },
            auth: true,
          }),
        ),
      form,
    );
    if (!done) return;
    replace(status, emailStatus(done.email));
    replace(host);
    emailInput.value = '';
    announce(`Your email ${done.email} is attached. You can sign in with it.`);
    status.focus();
  });
  return form;
}

function emailForm(me, status) {
  const slot = h('div', { class: 'error-slot' });
  const step = h('div', {});
  const email = field(me.email ? 'New email' : 'Email', {
    id: 'me-email',
    type: 'email',
    autocomplete: 'email',
    required: true,
    dataset: { field: 'email' },
  });
  const submit = h('button', { type: 'submit', class: 'secondary' }, 'Send me a code');
  const form = h('form', { 'aria-label': 'Attach an email' }, email.field, slot, submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const sent = await attempt(
      submit,
      slot,
      () =>
        withReauth(() =>
          api('/api/users/me/email', {
            method: 'POST',
            body: { email: email.input.value.trim() },
            auth: true,
          }),
        ),
      form,
    );
    if (!sent) return;
    const next = codeStep(sent.pendingEmail, status, step, email.input);
    replace(step, next);
    announce(`A code is on its way to ${sent.pendingEmail}.`);
    next.querySelector('input').focus();
  });
  return h('div', {}, form, step);
}

function passwordForm(me) {
  let hasPassword = !!me.hasPassword;
  const slot = h('div', { class: 'error-slot' });
  const current = field('Current password', {
    id: 'me-current-password',
    type: 'password',
    autocomplete: 'current-password',
    dataset: { field: 'currentPassword' },
  });
  const fresh = field('New password', {
    id: 'me-new-password',
    type: 'password',
    autocomplete: 'new-password',
    minlength: 10,
    maxlength: 128,
    required: true,
    dataset: { field: 'password' },
    hint: '10 to 128 characters, not a common one, without your artist name or email.',
  });
  const submit = h('button', { type: 'submit' }, hasPassword ? 'Change password' : 'Set password');
  const currentHolder = h('div', {}, hasPassword ? current.field : null);
  const form = h(
    'form',
    { 'aria-label': 'Set or change your password', novalidate: true },
    currentHolder,
    fresh.field,
    slot,
    submit,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = { password: fresh.input.value };
    if (hasPassword && current.input.value) body.currentPassword = current.input.value;
    const done = await attempt(
      submit,
      slot,
      () => withReauth(() => api('/api/users/me/password', { method: 'PUT', body, auth: true })),
      form,
    );
    if (!done) return;
    const changed = hasPassword;
    hasPassword = true;
    fresh.input.value = '';
    current.input.value = '';
    replace(currentHolder, current.field);
    replace(submit, 'Change password');
    announce(
      changed
        ? 'Your password is changed. Your other devices are signed out.'
        : 'Your password is set. You can sign in with it.',
    );
  });
  return form;
}

/** The Email and password section. */
export function credentialsSection(me) {
  const status = h('p', { id: 'me-email-status', tabindex: '-1' }, emailStatus(me.email));
  return section(
    'credentials',
    'Email and password',
    status,
    emailForm(me, status),
    h('h3', {}, 'Password'),
    passwordForm(me),
  );
}
