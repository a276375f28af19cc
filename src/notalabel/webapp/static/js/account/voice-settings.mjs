// The voice signature's settings on /me: the confidence a sign-in needs, the failed tries
// before voice login pauses, and whether a sign-in also hums the signature melody. Changing
// them is a sensitive change (a lower bar lets more voices in), so it goes through withReauth.
import { ApiError, api } from '../api.mjs';
import { announce, field, h, replace } from '../dom.mjs';
import { attempt } from './common.mjs';
import { withReauth } from './reauth.mjs';

/** A form for `signature.settings`; `saved(signature)` gets the answer after a change. */
export function voiceSettingsForm(signature, saved) {
  const { settings } = signature;
  const slot = h('div', { class: 'error-slot' });
  const threshold = field('Confidence a sign-in needs (%)', {
    id: 'me-voice-threshold',
    type: 'number',
    min: 50,
    max: 99,
    step: 1,
    inputmode: 'numeric',
    required: true,
    value: Math.round(settings.confidenceThreshold * 100),
    dataset: { field: 'confidenceThreshold' },
    hint: 'Higher keeps other voices out more surely, but asks more of a noisy room. 85 is usual.',
  });
  const attempts = field('Failed tries before voice login pauses', {
    id: 'me-voice-attempts',
    type: 'number',
    min: 1,
    max: 10,
    step: 1,
    inputmode: 'numeric',
    required: true,
    value: settings.maxAttempts,
    dataset: { field: 'maxAttempts' },
    hint: 'Then it pauses for a minute, longer after each further failure.',
  });
  const hum = h('input', {
    type: 'checkbox',
    id: 'me-voice-hum',
    checked: settings.requireHumming,
    'aria-describedby': 'me-voice-hum-hint',
  });
  const humRow = h(
    'div',
    { class: 'check' },
    hum,
    h('label', { for: hum.id }, 'Also ask me to hum my signature melody'),
    h(
      'small',
      { id: 'me-voice-hum-hint', class: 'hint' },
      'A second factor: after the digits, you hum the tune of your signature pattern.',
    ),
  );
  const submit = h('button', { type: 'submit', class: 'secondary' }, 'Save voice settings');
  const form = h(
    'form',
    { 'aria-label': 'Voice settings', novalidate: true },
    threshold.field,
    attempts.field,
    humRow,
    slot,
    submit,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = {
      confidenceThreshold: Number(threshold.input.value) / 100,
      maxAttempts: Number(attempts.input.value),
      requireHumming: hum.checked,
    };
    const changed = await attempt(
      submit,
      slot,
      () => {
        // the service counts in fractions; say what is wrong in the page's own percent
        const wrong = [
          outside(threshold.input, 50, 99) && 'confidenceThreshold',
          outside(attempts.input, 1, 10) && 'maxAttempts',
        ].filter(Boolean);
        if (wrong.length) throw notWhole(wrong, { confidenceThreshold: [50, 99], maxAttempts: [1, 10] });
        return withReauth(() => api('/api/voice/signature', { method: 'PATCH', body, auth: true }));
      },
      form,
    );
    if (!changed) return;
    announce('Your voice settings are saved.');
    saved(changed);
  });
  replace(slot);
  return form;
}

function outside(input, low, high) {
  const value = Number(input.value);
  return input.value.trim() === '' || !Number.isInteger(value) || value < low || value > high;
}

function notWhole(fields, ranges) {
  return new ApiError(422, 'validation_error', 'Check the voice settings.', {
    details: fields.map((name) => ({
      field: name,
      message: `Enter a whole number from ${ranges[name][0]} to ${ranges[name][1]}.`,
    })),
  });
}
