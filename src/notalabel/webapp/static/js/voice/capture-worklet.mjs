// Runs on the audio thread (loaded with audioWorklet.addModule from /static, since the page's
// policy admits no inline or blob: scripts): hands the microphone's samples to the page in
// blocks of 2048 frames instead of one message per 128-frame render quantum.
const BLOCK = 2048;

class Capture extends AudioWorkletProcessor {
  constructor() {
    super();
    this.block = new Float32Array(BLOCK);
    this.filled = 0;
  }

  process(inputs) {
    const channel = inputs[0]?.[0]; // the first channel: a voice needs no stereo
    if (!channel) return true;
    let from = 0;
    while (from < channel.length) {
      const take = Math.min(BLOCK - this.filled, channel.length - from);
      this.block.set(channel.subarray(from, from + take), this.filled);
      this.filled += take;
      from += take;
      if (this.filled === BLOCK) {
        this.port.postMessage(this.block);
        this.block = new Float32Array(BLOCK);
        this.filled = 0;
      }
    }
    return true;
  }
}

registerProcessor('nal-capture', Capture);
