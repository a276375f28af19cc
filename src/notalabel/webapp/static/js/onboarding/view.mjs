// The onboarding conversation on screen: a log that only ever grows at its end, and one
// prompt line (with quick replies) pinned to the bottom of the window, so nothing the
// artist is looking at moves when an answer or a pattern arrives.
import { describeError } from '../api.mjs';
import { h, replace } from '../dom.mjs';
import { patternCard } from '../pattern.mjs';

/** Quick replies that fit each step (the API's suggestions win at naming). */
export const QUICK_REPLIES = {
  discovery: ['chill lo-fi beats for studying', 'dark techno for late nights', 'dreamy synthwave'],
  refinement: ['love it', 'more bass', 'make it dreamy', 'faster'],
  naming: [],
  confirmation: ['yes', 'no'],
};

// The log gives the service one sigil (♪); a message's own leading emoji would repeat it
// (and shows as a blank box where no emoji font is installed). A ❌ marks a problem instead.
const LEADING_EMOJI = /^(\p{Extended_Pictographic}\uFE0F?\s*)+/u;

function serviceEntry(message) {
  const emoji = LEADING_EMOJI.exec(message)?.[0] ?? '';
  const problem = emoji.includes('❌');
  const kind = problem ? 'from-service problem' : 'from-service';
  return h('li', { class: kind }, message.slice(emoji.length));
}

/**
 * Build the conversation inside `root`. `onSend(text)` is called with each line the artist
 * sends (typed or picked); it may return a promise, during which further sends are ignored.
 */
export function conversationView(root, onSend) {
  const log = h('ol', {
    class: 'log',
    id: 'conversation',
    'aria-live': 'polite',
    'aria-relevant': 'additions',
    'aria-label': 'Conversation',
  });
  const chips = h('div', { class: 'chips', role: 'group', 'aria-label': 'Quick replies' });
  const label = h('label', { for: 'prompt', class: 'visually-hidden' }, 'Your answer');
  const input = h('input', {
    id: 'prompt',
    name: 'prompt',
    type: 'text',
    autocomplete: 'off',
    autocapitalize: 'off',
    spellcheck: 'false',
    maxlength: '2000',
    enterkeyhint: 'send',
    placeholder: 'type here, Enter sends',
  });
  const form = h(
    'form',
    { class: 'prompt-line', 'aria-label': 'Answer' },
    label,
    h('span', { class: 'sigil', 'aria-hidden': 'true' }, '›'),
    input,
    h('button', { type: 'submit' }, 'Send'),
  );
  const composer = h('div', { class: 'composer' }, chips, form);
  let sending = false;

  async function send(text) {
    const line = text.trim();
    if (!line || sending) return;
    sending = true;
    form.setAttribute('aria-busy', 'true');
    try {
      await onSend(line);
    } finally {
      sending = false;
      form.removeAttribute('aria-busy');
    }
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    send(input.value);
  });

  function add(entry) {
    log.append(entry);
    // the pinned prompt line covers the window's foot; scroll-padding keeps entries above it
    entry.scrollIntoView({ block: entry.offsetHeight > window.innerHeight / 2 ? 'start' : 'end' });
    return entry;
  }

  replace(
    root,
    h('h1', { class: 'onboarding-title' }, 'Find your sound'),
    h('section', { class: 'conversation', 'aria-label': 'Onboarding' }, log),
    composer,
  );

  return {
    input,
    log,
    /** A line from the service (and, muted, what it asks next). */
    service(message, prompt) {
      const entry = serviceEntry(message);
      if (prompt) entry.append(h('span', { class: 'prompt-text' }, prompt));
      return add(entry);
    },
    /** The artist's own line, echoed as sent. */
    artist(text) {
      return add(h('li', { class: 'from-artist' }, text));
    },
    /** A pattern card (code, player, strudel.cc link, DNA). */
    pattern(pattern, dna, title) {
      return add(h('li', { class: 'entry-pattern' }, patternCard(pattern, { dna, title })));
    },
    /** A notice in the service's voice, in the warning colour. */
    notice(text) {
      return add(h('li', { class: 'notice' }, text));
    },
    /** A failed call, in words (role=alert). */
    error(error) {
      return add(h('li', {}, h('p', { class: 'error', role: 'alert' }, describeError(error))));
    },
    /** Any element appended to the log. */
    append(element) {
      return add(h('li', {}, element));
    },
    /** What the prompt line asks now and the quick replies that go with it. */
    ask(prompt, replies = []) {
      label.textContent = prompt ? `Your answer: ${prompt}` : 'Your answer';
      replace(
        chips,
        replies.map((text) =>
          h('button', { type: 'button', class: 'chip', onclick: () => send(text) }, text),
        ),
      );
    },
    /** Put a line back into the prompt (after a failure) and focus it. */
    restore(text) {
      input.value = text;
      this.focus();
    },
    clear() {
      input.value = '';
    },
    focus() {
      input.focus({ preventScroll: true });
    },
    /** The conversation is over: the prompt line goes away. */
    close() {
      composer.remove();
      document.body.classList.remove('has-composer');
    },
    open() {
      document.body.classList.add('has-composer');
    },
    send,
  };
}
