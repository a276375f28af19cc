// The "With your voice" way on /signin: name the artist, get four digits, say them while
// recording, send. Any attempt uses the digits up (the service takes the challenge before it
// listens), so trying again always asks for new ones.
import { api } from '../api.mjs';
import { announce, field, h, replace } from '../dom.mjs';
import { attempt } from '../account/common.mjs';
import { recordWav, recordingMeter, recordingSupported } from './recorder.mjs';
import { sendAudio } from './upload.mjs';

const SECONDS = 4;

function section(...children) {
  return h(
    'section',
    { class: 'panel way' },
    h('h2', { id: 'way-voice' }, 'With your voice'),
    ...children,
  );
}

/** The voice sign-in; `signedIn(tokens)` stores the tokens and moves on, as the other ways do. */
export function voiceWay(signedIn) {
  if (!recordingSupported()) {
    return section(
      h('p', { class: 'muted' }, 'This browser cannot record from a microphone. Use another way.'),
    );
  }
  const slot = h('div', { class: 'error-slot' });
  const stage = h('div', { class: 'voice-stage' });
  const who = field('Your artist name', {
    id: 'voice-artist',
    autocomplete: 'username',
    required: true,
    spellcheck: 'false',
    hint: 'Voice login works once you have recorded your voice in your account.',
  });
  const ask = h('button', { type: 'submit', class: 'secondary' }, 'Ask for digits');
  const form = h('form', { 'aria-labelledby': 'way-voice' }, who.field, ask);

  const challenge = async (button) => {
    const asked = await attempt(button, slot, () =>
      api('/api/auth/voice/challenge', {
        method: 'POST',
        body: { artistName: who.input.value.trim() },
      }),
    );
    if (asked) say(asked);
  };

  const tryAgain = () => {
    const again = h('button', { type: 'button', class: 'secondary' }, 'Ask for new digits');
    again.addEventListener('click', () => challenge(again));
    replace(stage, h('div', { class: 'row' }, again));
    again.focus();
  };

  const say = (asked) => {
    const meter = h('div', {});
    const record = h('button', { type: 'button' }, `Record (${SECONDS} s)`);
    record.addEventListener('click', async () => {
      const done = await attempt(record, slot, async () => {
        const shown = recordingMeter();
        replace(meter, shown.node);
        const wav = await recordWav(SECONDS, shown.update);
        replace(meter, h('span', { class: 'muted' }, 'Listening…'));
        const sent = new FormData();
        sent.append('challengeId', asked.challengeId);
        sent.append('audio', wav, 'voice.wav');
        await signedIn(await sendAudio('/api/auth/voice/login', sent));
        return true;
      });
      if (!done) tryAgain();
    });
    const minutes = Math.max(1, Math.round(asked.expiresIn / 60));
    replace(
      stage,
      h('p', { class: 'voice-digits', id: 'voice-digits' }, asked.digits),
      h('p', { id: 'voice-say' }, `Say: ${asked.phrase}`),
      h(
        'p',
        { class: 'muted' },
        `Press Record, then say the digits one by one. They work once, for ${minutes} minutes.`,
      ),
      meter,
      h('div', { class: 'row' }, record),
    );
    announce(`Say: ${asked.phrase}. Press Record when ready.`);
    record.focus();
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    replace(stage);
    challenge(ask);
  });
  return section(form, slot, stage);
}
