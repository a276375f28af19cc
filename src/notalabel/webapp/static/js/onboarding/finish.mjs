// The end of the onboarding: the recovery codes, shown once (copy, download, "I've saved
// them"), then the offer of a passkey, then the new profile. The codes live only in this
// panel: nothing stores them, and the panel is emptied before the page moves on.
import { describeError } from '../api.mjs';
import { announce, h, replace } from '../dom.mjs';
import { profileUrl } from '../nav.mjs';
import { passkeysSupported, registerPasskey } from '../webauthn.mjs';

function codesText(artistName, codes) {
  return [
    `Not a Label recovery codes for @${artistName}`,
    'Each code signs you in once. Keep them somewhere safe.',
    '',
    ...codes,
    '',
  ].join('\n');
}

function download(filename, text) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
  const link = h('a', { href: url, download: filename, class: 'visually-hidden' }, filename);
  document.body.append(link);
  link.click();
  link.remove();
  // some browsers read the blob after the click returns: free it a little later
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function heading(text) {
  return h('h2', { tabindex: '-1' }, text);
}

// a new step of the ending: its top in view, its heading focused so reading continues there
function show(panel, title) {
  panel.scrollIntoView({ block: 'start' });
  title.focus({ preventScroll: true });
}

/** Show the codes in `panel`; resolves once the artist says they saved them. */
export function showRecoveryCodes(panel, artistName, codes) {
  return new Promise((resolve) => {
    const title = heading('Your recovery codes');
    const said = h('p', { class: 'muted', role: 'status' });
    const copy = h('button', { type: 'button', class: 'secondary' }, 'Copy');
    const save = h('button', { type: 'button', class: 'secondary' }, 'Download');
    const box = h('input', { type: 'checkbox', id: 'codes-saved' });
    const next = h('button', { type: 'button', disabled: true }, 'Continue');
    const text = codesText(artistName, codes);

    copy.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(text);
        said.textContent = 'Copied the codes to the clipboard.';
      } catch {
        said.textContent =
          "This browser didn't let the page copy. Select the codes and copy them, " +
          'or download them.';
      }
    });
    save.addEventListener('click', () => {
      download(`not-a-label-recovery-codes-${artistName}.txt`, text);
      said.textContent = 'Downloaded the codes as a text file.';
    });
    box.addEventListener('change', () => {
      next.disabled = !box.checked;
    });
    next.addEventListener('click', () => {
      if (box.checked) resolve();
    });

    replace(
      panel,
      title,
      h(
        'p',
        {},
        'These 10 codes are shown only now. Each one signs you in once if you lose your ',
        'other ways in. Save them somewhere safe.',
      ),
      h('ol', { class: 'codes', 'aria-label': 'Recovery codes' }, codes.map((c) => h('li', {}, c))),
      h('div', { class: 'row' }, copy, save),
      said,
      h(
        'div',
        { class: 'check' },
        box,
        h('label', { for: 'codes-saved' }, "I've saved my recovery codes"),
      ),
      h('div', { class: 'row' }, next),
    );
    show(panel, title);
  });
}

/** Offer a passkey (when the browser has them); resolves when added or skipped. */
export function offerPasskey(panel) {
  if (!passkeysSupported()) return Promise.resolve(false);
  return new Promise((resolve) => {
    const title = heading('Add a passkey?');
    const said = h('div', { class: 'passkey-result' });
    const add = h('button', { type: 'button' }, 'Add a passkey');
    const skip = h('button', { type: 'button', class: 'secondary' }, 'Not now');
    add.addEventListener('click', async () => {
      add.disabled = true;
      replace(said);
      try {
        await registerPasskey('This device');
        announce('Passkey added.');
        resolve(true);
      } catch (error) {
        const words =
          error?.name === 'NotAllowedError'
            ? 'The passkey was not created (cancelled or timed out). Try again or choose "Not now".'
            : describeError(error);
        replace(said, h('p', { class: 'error', role: 'alert' }, words));
        add.disabled = false;
        add.focus();
      }
    });
    skip.addEventListener('click', () => resolve(false));
    replace(
      panel,
      title,
      h(
        'p',
        {},
        'A passkey lets you sign in with this device’s screen lock or a security key: ',
        'no password to remember.',
      ),
      said,
      h('div', { class: 'row' }, add, skip),
    );
    show(panel, title);
  });
}

/** The whole ending: codes, passkey offer, then the new profile. */
export async function finishOnboarding(panel, artistName, codes) {
  if (codes?.length) await showRecoveryCodes(panel, artistName, codes);
  await offerPasskey(panel);
  replace(panel, heading('Welcome to Not a Label'), h('p', {}, `Opening @${artistName}…`));
  window.location.assign(profileUrl(artistName));
}
