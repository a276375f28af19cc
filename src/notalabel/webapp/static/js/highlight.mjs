// A small tokenizer for the JavaScript subset Strudel patterns use: comments, strings
// (mini-notation lives there), numbers, function names and punctuation, as spans.
import { h } from './dom.mjs';

const TOKEN =
  /(\/\/[^\n]*|\/\*[\s\S]*?\*\/)|("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`)|(\b\d+(?:\.\d+)?\b|\.\d+\b)|([A-Za-z_$][\w$]*)(?=\s*\()|([A-Za-z_$][\w$]*)|([()[\]{},.;<>*/+\-!=:~]+)/g;

const KIND = ['comment', 'string', 'number', 'call', 'name', 'punct'];

/** A <code> element with the pattern's code highlighted. */
export function highlight(code) {
  const out = h('code', { class: 'strudel' });
  let last = 0;
  for (const match of code.matchAll(TOKEN)) {
    if (match.index > last) out.append(code.slice(last, match.index));
    const group = match.slice(1).findIndex((part) => part !== undefined);
    out.append(h('span', { class: `tok-${KIND[group]}` }, match[0]));
    last = match.index + match[0].length;
  }
  if (last < code.length) out.append(code.slice(last));
  return out;
}
