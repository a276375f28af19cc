// A pattern's comments: oldest first with "Load more", a labelled form to add one, and a
// Delete button on the comments the visitor may remove (their own, or all on their pattern).
import { api } from '../api.mjs';
import { announce, busy, errorBox, field, h, replace } from '../dom.mjs';
import { profileUrl } from '../nav.mjs';
import { readAuth } from '../session.mjs';

const MAX = 1000;

function when(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : date.toLocaleString('en', { dateStyle: 'medium', timeStyle: 'short' });
}

/** The comments section; `onCount(delta)` hears of additions and removals. */
export function commentsSection(pattern, { onCount }) {
  const auth = readAuth();
  const list = h('ol', { class: 'comments', 'aria-label': 'Comments' });
  const slot = h('div', { 'aria-live': 'polite' });
  const more = h('button', { type: 'button', class: 'secondary load-more' }, 'Load more comments');
  more.hidden = true;
  let cursor = null;
  const path = `/api/patterns/${encodeURIComponent(pattern.id)}/comments`;

  function item(comment) {
    const mayDelete = auth && (comment.author.id === auth.userId || pattern.creator.id === auth.userId);
    const li = h(
      'li',
      { class: 'comment', dataset: { commentId: comment.id } },
      h('p', { class: 'comment-head' }, h('a', { href: profileUrl(comment.author.artistName) }, comment.author.artistName), h('span', { class: 'muted' }, ` · ${when(comment.createdAt)}`)),
      h('p', { class: 'comment-body' }, comment.body),
    );
    if (mayDelete) {
      const del = h('button', { type: 'button', class: 'danger small' }, 'Delete comment');
      const err = h('div', { 'aria-live': 'polite' });
      del.addEventListener('click', () =>
        busy(del, err, async () => {
          await api(`/api/comments/${encodeURIComponent(comment.id)}`, { method: 'DELETE', auth: true });
          const next = li.nextElementSibling ?? li.previousElementSibling;
          li.remove();
          onCount(-1);
          announce('Comment deleted.');
          (next?.querySelector('a') ?? textarea).focus();
        }),
      );
      li.append(del, err);
    }
    return li;
  }

  async function page() {
    const url = cursor ? `${path}?cursor=${encodeURIComponent(cursor)}` : path;
    const answer = await api(url, { auth: 'optional' });
    for (const comment of answer.items) list.append(item(comment));
    cursor = answer.nextCursor;
    more.hidden = !cursor;
  }
  more.addEventListener('click', () => busy(more, slot, page));

  let form = null;
  let textarea = null;
  if (auth) {
    const { field: box, input } = field('Your comment', {
      multiline: true,
      id: 'comment-body',
      name: 'body',
      required: true,
      maxlength: String(MAX),
      rows: '3',
      hint: `1 to ${MAX} characters.`,
    });
    textarea = input;
    const send = h('button', { type: 'submit' }, 'Add comment');
    const err = h('div', { 'aria-live': 'polite' });
    form = h('form', { class: 'comment-form', novalidate: true }, box, send, err);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const body = input.value.trim();
      if (!body || body.length > MAX) {
        replace(err, h('p', { class: 'error', role: 'alert' }, `Write 1 to ${MAX} characters.`));
        input.focus();
        return;
      }
      busy(send, err, async () => {
        const comment = await api(path, { method: 'POST', body: { body }, auth: true });
        list.append(item(comment));
        input.value = '';
        onCount(1);
        announce('Comment added.');
        input.focus();
      });
    });
  }

  const section = h(
    'section',
    { class: 'panel', 'aria-labelledby': 'comments-heading' },
    h('h2', { id: 'comments-heading' }, 'Comments'),
    list,
    slot,
    more,
    form ?? h('p', { class: 'muted' }, h('a', { href: '/signin' }, 'Sign in'), ' to comment.'),
  );
  page().catch((error) => replace(slot, errorBox(error)));
  return section;
}
