// Building the page from data without ever parsing data as HTML: every text goes in as a
// text node, so names, bios and pattern code can't inject markup.
import { describeError } from './api.mjs';

/** h('p', {class: 'x', onclick: fn}, 'text', child) → an element. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      el.addEventListener(name.slice(2), value);
    } else if (name === 'dataset') {
      Object.assign(el.dataset, value);
    } else if (value === true) {
      el.setAttribute(name, '');
    } else {
      el.setAttribute(name, String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replace everything inside `el`. */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** The page's main region. */
export function main() {
  return document.getElementById('main');
}

/** Say something politely to screen readers and sighted users (the status line). */
export function announce(text) {
  const status = document.getElementById('status');
  if (status) status.textContent = text;
}

/** An error box (role=alert) with the error in words. */
export function errorBox(error) {
  return h('p', { class: 'error', role: 'alert' }, describeError(error));
}

/** Show `error` in words inside `slot` (replacing what was there). */
export function showError(slot, error) {
  replace(slot, errorBox(error));
}

/** A labelled form field: returns {field, input}. */
export function field(label, attrs = {}) {
  const id = attrs.id ?? `f-${Math.random().toString(36).slice(2, 9)}`;
  const input = h(attrs.multiline ? 'textarea' : 'input', { ...attrs, multiline: null, id });
  const hint = attrs.hint ? h('small', { id: `${id}-hint`, class: 'hint' }, attrs.hint) : null;
  if (hint) input.setAttribute('aria-describedby', hint.id);
  input.removeAttribute('hint');
  return { field: h('div', { class: 'field' }, h('label', { for: id }, label), input, hint), input };
}

/** Run `work` while `button` shows it is busy; errors land in `slot` in words. */
export async function busy(button, slot, work) {
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  if (slot) replace(slot);
  try {
    return await work();
  } catch (error) {
    if (slot) showError(slot, error);
    else announce(describeError(error));
    return undefined;
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
  }
}

/** A page-level failure: never a blank screen. */
export function fatal(error) {
  replace(main(), h('section', { class: 'panel' }, h('h1', {}, 'Something went wrong'), errorBox(error)));
}
