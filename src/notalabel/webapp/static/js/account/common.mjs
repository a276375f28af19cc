// Small pieces the account and sign-in pages share: errors in words (including the
// browser's own passkey errors), per-field validation messages, dates, recovery codes.
import { ApiError, describeError } from '../api.mjs';
import { announce, h, replace } from '../dom.mjs';

/** The sentence for any failure, passkey prompts included. */
export function say(error) {
  if (error instanceof ApiError) return describeError(error);
  if (error && error.name === 'NotAllowedError') {
    return 'The passkey prompt was closed or timed out. Nothing changed; try again when ready.';
  }
  if (error && error.name === 'InvalidStateError') {
    return 'This device already holds a passkey for your account.';
  }
  if (error && (error.name === 'SecurityError' || error.name === 'NotSupportedError')) {
    return 'This browser cannot use a passkey here. Try another way.';
  }
  return describeError(error);
}

/** Put `error` in words into `slot` (role=alert). */
export function sayIn(slot, error) {
  replace(slot, h('p', { class: 'error', role: 'alert' }, say(error)));
}

/**
 * Run `work` with `button` busy; on failure show the error in `slot` and next to the fields it
 * names (inputs carry data-field="website" or "socialLinks.spotify"). Resolves to the result or
 * undefined.
 */
export async function attempt(button, slot, work, form = null) {
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  replace(slot);
  if (form) clearFieldErrors(form);
  try {
    return await work();
  } catch (error) {
    sayIn(slot, error);
    if (form) markFieldErrors(form, error);
    return undefined;
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
  }
}

function clearFieldErrors(form) {
  for (const note of form.querySelectorAll('.field-error')) note.remove();
  for (const input of form.querySelectorAll('[aria-invalid]')) {
    input.removeAttribute('aria-invalid');
    const hint = input.dataset.hintId;
    if (hint) input.setAttribute('aria-describedby', hint);
    else input.removeAttribute('aria-describedby');
  }
}

function markFieldErrors(form, error) {
  if (!(error instanceof ApiError) || !Array.isArray(error.details)) return;
  let first = null;
  for (const detail of error.details) {
    const name = String(detail.field ?? '').replace(/^body\./, '');
    const input = [...form.querySelectorAll('[data-field]')].find(
      (el) => el.dataset.field === name || name.endsWith(`.${el.dataset.field}`),
    );
    if (!input) continue;
    const note = h('small', { class: 'field-error', id: `${input.id}-error` }, detail.message);
    input.setAttribute('aria-invalid', 'true');
    const hint = input.getAttribute('aria-describedby');
    if (hint && !input.dataset.hintId) input.dataset.hintId = hint;
    input.setAttribute('aria-describedby', [hint, note.id].filter(Boolean).join(' '));
    input.insertAdjacentElement('afterend', note);
    first ??= input;
  }
  first?.focus();
}

/** A date and time the way the reader's browser writes them. */
export function when(iso) {
  if (!iso) return 'never';
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? String(iso)
    : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** The recovery codes shown once, with Copy and Download .txt. */
export function codesBlock(codes, artistName) {
  const text = [
    `Not a Label recovery codes for ${artistName}`,
    'Each code works once. Keep them somewhere safe.',
    '',
    ...codes,
    '',
  ].join('\n');
  const copy = h('button', { type: 'button', class: 'secondary' }, 'Copy codes');
  copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(text);
      announce('The recovery codes are copied.');
    } catch {
      announce('Copying is not allowed here: select the codes and copy them by hand.');
    }
  });
  const download = h('button', { type: 'button', class: 'secondary' }, 'Download .txt');
  download.addEventListener('click', () => {
    const url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
    const link = h('a', { href: url, download: `not-a-label-recovery-codes-${artistName}.txt` });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
    announce('The recovery codes are downloading.');
  });
  return h(
    'div',
    { class: 'recovery-codes' },
    h('p', { class: 'notice' }, 'These codes are shown only this once. Each one works once.'),
    h(
      'ol',
      { class: 'codes', 'aria-label': 'Recovery codes' },
      codes.map((c) => h('li', {}, c)),
    ),
    h('div', { class: 'row' }, copy, download),
  );
}
