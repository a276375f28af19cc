// Recording a few seconds of voice for the voice login: the microphone through Web Audio into
// plain PCM, then a 16-bit mono WAV. (MediaRecorder would make webm/opus, which the service
// does not read.) Also the countdown and level meter shown while recording.
import { ApiError } from '../api.mjs';
import { h, replace } from '../dom.mjs';

const WORKLET = '/static/js/voice/capture-worklet.mjs';
const SPARE_SECONDS = 5; // no audio this long after the end means the microphone never started

/** A microphone that could not be used; an ApiError so every page shows it in words. */
export class MicrophoneError extends ApiError {
  constructor(message) {
    super(0, 'microphone', message);
    this.name = 'MicrophoneError';
  }
}

/** Whether this browser can record from a microphone here. */
export function recordingSupported() {
  return (
    !!navigator.mediaDevices?.getUserMedia &&
    typeof window.AudioContext === 'function' &&
    typeof window.AudioWorkletNode === 'function'
  );
}

function microphoneError(error) {
  switch (error?.name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return new MicrophoneError(
        'The microphone is blocked. Allow it for this site in the browser, then try again.',
      );
    case 'NotFoundError':
    case 'OverconstrainedError':
      return new MicrophoneError('No microphone was found. Plug one in, then try again.');
    default:
      return new MicrophoneError(
        'The microphone did not start. Close other apps using it, then try again.',
      );
  }
}

/**
 * Record `seconds` of the microphone; `onProgress({left, level})` is called as audio arrives
 * (seconds left, loudness 0-1). Resolves to a WAV Blob. The microphone is released at the end.
 */
export async function recordWav(seconds, onProgress = () => {}) {
  const context = new AudioContext();
  let stream = null;
  try {
    // the worklet is ready before the microphone opens, so the first words are not lost
    await context.audioWorklet.addModule(WORKLET);
    stream = await navigator.mediaDevices
      .getUserMedia({
        // the voiceprint is made from the voice as it is: the browser's echo, noise and gain
        // filters would change its timbre from one recording to the next
        audio: {
          channelCount: 1,
          echoCancellation: false,
          noiseSuppression: false,
          autoGainControl: false,
        },
      })
      .catch((error) => {
        throw microphoneError(error);
      });
    await context.resume();
    const samples = await capture(context, stream, seconds, onProgress);
    return encodeWav(samples, context.sampleRate);
  } finally {
    for (const track of stream?.getTracks() ?? []) track.stop();
    await context.close().catch(() => {});
  }
}

function capture(context, stream, seconds, onProgress) {
  const needed = Math.round(seconds * context.sampleRate);
  const pcm = new Float32Array(needed);
  let filled = 0;
  const source = context.createMediaStreamSource(stream);
  const node = new AudioWorkletNode(context, 'nal-capture');
  // connected to the output (silently: the processor writes nothing) so the graph runs it
  source.connect(node).connect(context.destination);
  onProgress({ left: seconds, level: 0 });
  return new Promise((resolve, reject) => {
    const finish = (error) => {
      clearTimeout(timer);
      node.port.onmessage = null;
      source.disconnect();
      node.disconnect();
      if (error) reject(error);
      else resolve(pcm);
    };
    const timer = setTimeout(
      () => finish(new MicrophoneError('The microphone sent no sound. Check it and try again.')),
      (seconds + SPARE_SECONDS) * 1000,
    );
    node.port.onmessage = ({ data }) => {
      const take = Math.min(data.length, needed - filled);
      pcm.set(data.subarray(0, take), filled);
      filled += take;
      const left = Math.ceil((needed - filled) / context.sampleRate);
      onProgress({ left, level: loudness(data) });
      if (filled >= needed) finish(null);
    };
  });
}

/** Root-mean-square level of a block on a 0-1 scale (-60 dBFS and below is 0). */
function loudness(block) {
  let sum = 0;
  for (const x of block) sum += x * x;
  const db = 10 * Math.log10(sum / block.length || 1e-12);
  return Math.min(1, Math.max(0, (db + 60) / 60));
}

/** Float samples (-1..1) as a 16-bit PCM mono WAV file. */
export function encodeWav(samples, rate) {
  const view = new DataView(new ArrayBuffer(44 + samples.length * 2));
  const text = (offset, s) => [...s].forEach((c, i) => view.setUint8(offset + i, c.charCodeAt(0)));
  text(0, 'RIFF');
  view.setUint32(4, 36 + samples.length * 2, true);
  text(8, 'WAVE');
  text(12, 'fmt ');
  view.setUint32(16, 16, true); // size of the fmt chunk
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, rate, true);
  view.setUint32(28, rate * 2, true); // bytes per second
  view.setUint16(32, 2, true); // bytes per frame
  view.setUint16(34, 16, true); // bits per sample
  text(36, 'data');
  view.setUint32(40, samples.length * 2, true);
  samples.forEach((x, i) => {
    const clamped = Math.max(-1, Math.min(1, x));
    view.setInt16(44 + i * 2, clamped < 0 ? clamped * 0x8000 : clamped * 0x7fff, true);
  });
  return new Blob([view.buffer], { type: 'audio/wav' });
}

/** The "Recording… 3 s left" line and a level meter, and the function that updates them. */
export function recordingMeter() {
  const line = h(
    'span',
    { class: 'recording-left', 'aria-live': 'polite' },
    'Getting the microphone ready…',
  );
  const meter = h('meter', { min: 0, max: 1, value: 0, 'aria-label': 'Input level' });
  const node = h('div', { class: 'recording' }, line, meter);
  let shown = '';
  const update = ({ left, level }) => {
    const text = left > 0 ? `Recording… ${left} s left` : 'Recorded.';
    if (text !== shown) replace(line, (shown = text)); // once a second, not per audio block
    meter.value = level;
  };
  return { node, update };
}
