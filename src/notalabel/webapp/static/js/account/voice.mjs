// "Voice login" on /me: turn it on, read three sentences aloud (each recording is sent as soon
// as it is made), then see the signature's quality, settings and usage; record again or delete
// it. Enrolling and deleting are sensitive changes, so both go through withReauth.
import { ApiError, api } from '../api.mjs';
import { announce, h, replace } from '../dom.mjs';
import { recordWav, recordingMeter, recordingSupported } from '../voice/recorder.mjs';
import { sendAudio } from '../voice/upload.mjs';
import { attempt, sayIn, when } from './common.mjs';
import { section } from './profile.mjs';
import { withReauth } from './reauth.mjs';
import { voiceSettingsForm } from './voice-settings.mjs';

// three different sentences, so the voiceprint is of a voice and not of one phrase
const SENTENCES = [
  'My favourite music has deep bass and slow, dreamy chords.',
  'I make beats late at night with a cup of tea beside me.',
  'The quick brown fox jumps over the lazy dog by the river.',
];
const SECONDS = 5;
const percent = (share) => `${Math.round(share * 100)}%`;

function facts(pairs) {
  return h(
    'dl',
    { class: 'voice-facts' },
    pairs.filter(Boolean).map(([term, value]) => [h('dt', {}, term), h('dd', {}, String(value))]),
  );
}

/** The signature as the artist sees it: quality, settings, usage, and what to do with it. */
function signatureView(signature, view) {
  const { settings, usage } = signature;
  const locked = usage.lockedUntil && new Date(usage.lockedUntil) > new Date();
  const again = h('button', { type: 'button', class: 'secondary' }, 'Record again');
  again.addEventListener('click', () => view.enrol(signature, true));
  const remove = h('button', { type: 'button', class: 'danger' }, 'Delete voice signature');
  remove.addEventListener('click', async () => {
    const done = await attempt(remove, view.slot, async () => {
      await withReauth(() => api('/api/voice/signature', { method: 'DELETE', auth: true }));
      return true;
    });
    if (!done) return;
    announce('Your voice signature is deleted. Record your voice again to sign in with it.');
    view.enrol(null, true);
  });
  const unreadable = signature.needsReEnrolment
    ? h(
        'p',
        { class: 'notice', id: 'me-voice-unreadable' },
        'Your voice signature can no longer be read by the service, so voice sign-in is off ' +
          'for now. Record your voice again to turn it back on.',
      )
    : null;
  return [
    unreadable,
    h(
      'p',
      { id: 'me-voice-quality', tabindex: '-1' },
      'Your voice signature is ready. Quality: ',
      h('strong', {}, percent(signature.quality)),
    ),
    facts([
      ['Confidence a sign-in needs', percent(settings.confidenceThreshold)],
      ['Failed tries before a pause', settings.maxAttempts],
      ['Humming', settings.requireHumming ? 'required too' : 'not required'],
      ['Recorded', when(usage.createdAt)],
      ['Last used', when(usage.lastUsed)],
      ['Sign-ins by voice', usage.successfulAuths],
      ['Failed attempts', usage.failedAttempts],
      ['Average confidence', usage.averageConfidence ? percent(usage.averageConfidence) : '-'],
      locked ? ['Paused until', when(usage.lockedUntil)] : null,
    ]),
    h('div', { class: 'row' }, again, remove),
    h('h3', {}, 'Settings'),
    voiceSettingsForm(signature, (changed) => {
      view.ready(changed);
      document.getElementById('me-voice-threshold')?.focus();
    }),
  ];
}

/** Three recordings, one sentence each; `previous` (a signature) offers to keep it instead. */
function enrolment(previous, view) {
  if (!recordingSupported()) {
    return h('p', { class: 'muted' }, 'This browser cannot record from a microphone here.');
  }
  // the sample to record next, as the service counts them (it keeps the ones already sent)
  let number = 1;
  const step = h('p', { id: 'me-voice-step' });
  const sentence = h('blockquote', { class: 'voice-sentence', id: 'me-voice-sentence' });
  const meter = h('div', {});
  const record = h('button', { type: 'button' });
  const draw = () => {
    replace(step, `Sample ${number} of 3: press Record, then read this aloud in your usual voice.`);
    replace(sentence, SENTENCES[number - 1]);
    replace(record, `Record sample ${number} of 3`);
  };
  record.addEventListener('click', async () => {
    const answer = await attempt(record, view.slot, async () => {
      const shown = recordingMeter();
      replace(meter, shown.node);
      try {
        const wav = await recordWav(SECONDS, shown.update);
        replace(meter, h('span', { class: 'muted' }, 'Sending…'));
        return await withReauth(() => sendAudio('/api/voice/enroll', wav, { auth: true }));
      } catch (error) {
        // samples that disagree are all dropped by the service: start again from the first
        if (error instanceof ApiError && error.code === 'voice_samples_disagree') number = 1;
        throw error;
      } finally {
        replace(meter);
        draw();
      }
    });
    if (!answer) return;
    if ('quality' in answer) {
      view.ready(answer, true);
      announce(`Your voice signature is ready. Quality ${percent(answer.quality)}.`);
      return;
    }
    number = Math.min(answer.samplesReceived + 1, 3);
    draw();
    announce(answer.message);
  });
  draw();
  let keep = null;
  if (previous) {
    keep = h('button', { type: 'button', class: 'secondary' }, 'Keep the current one');
    keep.addEventListener('click', () => view.ready(previous, true));
  }
  return [step, sentence, meter, h('div', { class: 'row' }, record, keep)];
}

function turnOn(view) {
  const button = h('button', { type: 'button' }, 'Turn on voice login');
  button.addEventListener('click', async () => {
    const done = await attempt(button, view.slot, () =>
      api('/api/users/me', {
        method: 'PATCH',
        body: { preferences: { allowVoiceAuth: true } },
        auth: true,
      }),
    );
    if (!done) return;
    announce('Voice login is on.');
    view.load();
  });
  return h('div', { class: 'row' }, button);
}

/** The Voice login section (loads the signature itself). */
export function voiceSection(me) {
  const slot = h('div', { class: 'error-slot' });
  const body = h('div', {});
  const view = {
    slot,
    // `focus`: after the artist's own action, move focus to what replaced the button pressed
    ready: (signature, focus = false) => {
      replace(body, signatureView(signature, view));
      if (focus) body.querySelector('#me-voice-quality')?.focus();
    },
    enrol: (previous, focus = false) => {
      replace(body, enrolment(previous, view));
      if (focus) body.querySelector('button')?.focus();
    },
    load: () =>
      api('/api/voice/signature', { auth: true }).then(view.ready, (error) => {
        if (error instanceof ApiError && error.status === 404) view.enrol(null);
        else sayIn(slot, error);
      }),
  };
  if (me.preferences?.allowVoiceAuth) view.load();
  else replace(body, turnOn(view));
  return section(
    'voice',
    'Voice login',
    h(
      'p',
      { class: 'muted' },
      'Sign in by saying four digits aloud. Only an encrypted voiceprint is kept, never your ' +
        'recordings.',
    ),
    body,
    slot,
  );
}
