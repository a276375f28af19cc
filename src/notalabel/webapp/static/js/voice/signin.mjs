// The "With your voice" way on /signin: name the artist, get four digits, say them while
// recording, send. Any attempt uses the digits up (the service takes the challenge before it
// listens), so trying again always asks for new ones. An artist who also asks for their hummed
// melody is told so once the voice has passed; the page then asks for new digits and records
// the digits and the hum, one after the other, and sends both.
import { ApiError, api } from '../api.mjs';
import { announce, field, h, replace } from '../dom.mjs';
import { attempt } from '../account/common.mjs';
import { recordWav, recordingMeter, recordingSupported } from './recorder.mjs';
import { sendAudio } from './upload.mjs';

const SECONDS = 4;
const HUM_SECONDS = 8;

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

  const challenge = async (button, withHum = false) => {
    const asked = await attempt(button, slot, () =>
      api('/api/auth/voice/challenge', {
        method: 'POST',
        body: { artistName: who.input.value.trim() },
      }),
    );
    if (asked) say(asked, withHum);
  };

  const tryAgain = (withHum) => {
    const again = h('button', { type: 'button', class: 'secondary' }, 'Ask for new digits');
    again.addEventListener('click', () => challenge(again, withHum));
    replace(stage, h('div', { class: 'row' }, again));
    again.focus();
  };

  const send = async (asked, digits, hum) => {
    const sent = new FormData();
    sent.append('challengeId', asked.challengeId);
    sent.append('audio', digits, 'voice.wav');
    if (hum) sent.append('hum', hum, 'hum.wav');
    await signedIn(await sendAudio('/api/auth/voice/login', sent));
  };

  // record into `meter` while `button` is busy; the WAV, or undefined after an error shown
  const recording = (button, meter, seconds) =>
    attempt(button, slot, async () => {
      const shown = recordingMeter();
      replace(meter, shown.node);
      try {
        return await recordWav(seconds, shown.update);
      } finally {
        replace(meter);
      }
    });

  const say = (asked, withHum) => {
    const meter = h('div', {});
    const record = h('button', { type: 'button' }, `Record (${SECONDS} s)`);
    record.addEventListener('click', async () => {
      if (withHum) {
        const digits = await recording(record, meter, SECONDS);
        if (digits) hum(asked, digits);
        else tryAgain(true);
        return;
      }
      let humming = false;
      const done = await attempt(record, slot, async () => {
        const shown = recordingMeter();
        replace(meter, shown.node);
        const wav = await recordWav(SECONDS, shown.update);
        replace(meter, h('span', { class: 'muted' }, 'Listening…'));
        try {
          await send(asked, wav, null);
        } catch (error) {
          if (!(error instanceof ApiError && error.code === 'voice_humming_required')) throw error;
          humming = true;
        }
        return true;
      });
      if (humming) {
        announce('Your voice was recognized. This account also asks for your hummed melody.');
        challenge(record, true);
      } else if (!done) tryAgain(false);
    });
    const minutes = Math.max(1, Math.round(asked.expiresIn / 60));
    replace(
      stage,
      withHum
        ? h(
            'p',
            { id: 'voice-hum-needed' },
            'Your voice was recognized. This account also asks for your hummed signature ' +
              'melody: say these new digits, then hum.',
          )
        : null,
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

  // the second recording: the signature melody, hummed; then both are sent together
  const hum = (asked, digits) => {
    const meter = h('div', {});
    const record = h('button', { type: 'button' }, `Record the hum (${HUM_SECONDS} s)`);
    record.addEventListener('click', async () => {
      const done = await attempt(record, slot, async () => {
        const shown = recordingMeter();
        replace(meter, shown.node);
        const wav = await recordWav(HUM_SECONDS, shown.update);
        replace(meter, h('span', { class: 'muted' }, 'Listening…'));
        await send(asked, digits, wav);
        return true;
      });
      if (!done) tryAgain(true);
    });
    replace(
      stage,
      h(
        'p',
        { id: 'voice-hum' },
        'Got the digits. Now hum the melody of your signature pattern, at any pitch and pace.',
      ),
      meter,
      h('div', { class: 'row' }, record),
    );
    announce('Got the digits. Now press Record and hum your signature melody.');
    record.focus();
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    replace(stage);
    challenge(ask);
  });
  return section(form, slot, stage);
}
