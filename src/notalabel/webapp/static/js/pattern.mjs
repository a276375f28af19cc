// A pattern as the artist sees it: what it is, its code highlighted, a player, the
// strudel.cc link and (when known) the music DNA behind it. Playback runs in /player, a
// sandboxed frame, so evaluating pattern code never touches this page or its tokens.
import { h } from './dom.mjs';
import { highlight } from './highlight.mjs';

const players = new Set();

function encode(code) {
  const bytes = new TextEncoder().encode(code);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

// one pattern plays at a time: a frame that starts playing stops the others
window.addEventListener('message', (event) => {
  const frame = [...players].find((f) => f.contentWindow === event.source);
  if (!frame || event.data?.type !== 'nal-player') return;
  const card = frame.closest('.pattern');
  if (card) card.dataset.playerState = event.data.state;
  if (event.data.state === 'playing') {
    for (const other of players) {
      if (other !== frame && other.isConnected) {
        other.contentWindow?.postMessage({ type: 'nal-player-stop' }, '*');
      }
    }
  }
});

/** Describe a pattern in one line: genre · mood · key · bpm. */
export function patternLine(pattern) {
  return [pattern.genre, pattern.mood, pattern.key, pattern.bpm && `${pattern.bpm} bpm`]
    .filter(Boolean)
    .join(' · ');
}

/** The sandboxed player frame for `code`. */
export function playerFrame(code, label) {
  const frame = h('iframe', {
    class: 'player',
    src: `/player#${encode(code)}`,
    sandbox: 'allow-scripts',
    title: `Player for ${label}`,
    loading: 'lazy',
  });
  players.add(frame);
  return frame;
}

/** A <dl> summarising music DNA. */
export function dnaSummary(dna) {
  if (!dna || !dna.primaryGenre) return null;
  // a genre the artist did not name was picked for them: say so beside it
  const genre = dna.genreInferred ? `${dna.primaryGenre} (picked for you)` : dna.primaryGenre;
  const rows = [
    ['Genre', [genre, ...(dna.subGenres ?? [])].join(', ')],
    ['Mood', (dna.moods?.length ? dna.moods : [dna.preferredMood]).filter(Boolean).join(', ')],
    ['Energy', `${dna.energyLevel ?? '?'} / 10`],
    ['Complexity', `${dna.complexity ?? '?'} / 10`],
  ];
  if (dna.keywords?.length) rows.push(['Keywords', dna.keywords.join(', ')]);
  return h(
    'dl',
    { class: 'dna', 'aria-label': 'Music DNA' },
    rows.map(([term, value]) => [h('dt', {}, term), h('dd', {}, value)]),
  );
}

/** The card for one pattern (`code` or `strudelCode`), with its DNA when given. */
export function patternCard(pattern, { dna = null, title = null } = {}) {
  const code = pattern.code ?? pattern.strudelCode ?? '';
  const line = patternLine(pattern);
  return h(
    'article',
    { class: 'pattern', 'aria-label': title ?? `Pattern: ${line}`, dataset: { playerState: 'idle' } },
    h('p', { class: 'pattern-line' }, title ? h('strong', {}, title, ' ') : null, line),
    pattern.description ? h('p', { class: 'pattern-description' }, pattern.description) : null,
    h('pre', { class: 'pattern-code', tabindex: '0', 'aria-label': 'Strudel code' }, highlight(code)),
    h(
      'div',
      { class: 'pattern-actions' },
      playerFrame(code, line || 'this pattern'),
      pattern.shareUrl
        ? h(
            'a',
            { href: pattern.shareUrl, target: '_blank', rel: 'noopener noreferrer', class: 'strudel-link' },
            'Open in strudel.cc',
            h('span', { 'aria-hidden': 'true' }, ' ↗'),
          )
        : null,
    ),
    dnaSummary(dna),
  );
}
