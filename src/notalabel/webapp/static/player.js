// The player frame: sandboxed (opaque origin, no access to the app), it loads the pinned
// Strudel engine from the CDN with its integrity hash, evaluates the pattern in the address
// fragment and plays or stops it. It reports its state to the page that framed it.
(function () {
  'use strict';
  const meta = document.querySelector('meta[name="strudel"]');
  const fonts = document.querySelector('meta[name="soundfonts"]');
  const toggle = document.getElementById('toggle');
  const state = document.getElementById('state');
  let code = null;
  let loading = null;
  let repl = null;
  let playing = false;
  let fontsMissing = false;

  function tell(next, message) {
    document.body.dataset.state = next;
    state.textContent = message;
    window.parent.postMessage({ type: 'nal-player', state: next, message: message }, '*');
  }

  function decode(fragment) {
    const base64 = fragment.replace(/-/g, '+').replace(/_/g, '/');
    const binary = atob(base64 + '==='.slice((base64.length + 3) % 4));
    return new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  }

  // a <script> with the pinned URL and its integrity: the browser refuses other bytes
  function loadScript(url, integrity, type) {
    return new Promise(function (resolve, reject) {
      const script = document.createElement('script');
      if (type) script.type = type;
      script.src = url;
      script.integrity = integrity;
      script.crossOrigin = 'anonymous';
      script.onload = resolve;
      script.onerror = function () {
        reject(new Error('could not load ' + url));
      };
      document.head.append(script);
    });
  }

  // the General MIDI sounds (gm_*): @strudel/soundfonts through the import map, after the
  // UMD soundfont2 script its `soundfont2` module re-exports
  function loadSoundfonts() {
    return loadScript(fonts.content, fonts.dataset.integrity)
      .then(function () {
        return import('@strudel/soundfonts');
      })
      .then(function (module) {
        module.registerSoundfonts();
      })
      .catch(function (error) {
        fontsMissing = true;
        console.warn('General MIDI sounds unavailable:', error.message);
      });
  }

  function loadEngine() {
    if (!loading) {
      loading = loadScript(meta.content, meta.dataset.integrity, 'module')
        .catch(function () {
          throw new Error(
            'Could not load the Strudel engine (it failed to download or did not match ' +
              'its integrity hash). Check your connection and reload the page.',
          );
        })
        .then(function () {
          const maps = (meta.dataset.samples || '').split(' ').filter(Boolean);
          const started = window.initStrudel({
            prebake: function () {
              // a sample map that fails leaves its sounds silent; the rest still plays
              const samples = maps.map((url) => window.samples(url));
              return Promise.allSettled(samples.concat([loadSoundfonts()]));
            },
            onEvalError: function (error) {
              playing = false;
              toggle.textContent = 'Play';
              toggle.setAttribute('aria-pressed', 'false');
              tell('error', 'This pattern does not evaluate: ' + error.message);
            },
          });
          // initStrudel starts the audio (and loads the effect worklets) on the next
          // mousedown, which has passed already and never comes from a keyboard: start it
          // now, from the same module instance the import map gives the soundfonts
          return import('@strudel/web')
            .then(function (web) {
              return web.initAudio();
            })
            .then(function () {
              return started;
            });
        });
      loading.catch(function () {
        loading = null;
      });
    }
    return loading;
  }

  async function play() {
    toggle.disabled = true;
    tell('loading', 'loading Strudel…');
    try {
      repl = await loadEngine();
      window.nalRepl = repl;
      await repl.evaluate(code);
      if (document.body.dataset.state === 'error') return;
      playing = true;
      toggle.textContent = 'Stop';
      toggle.setAttribute('aria-pressed', 'true');
      tell('playing', fontsMissing ? 'playing (without the General MIDI sounds)' : 'playing');
    } catch (error) {
      tell('error', error.message);
    } finally {
      toggle.disabled = false;
    }
  }

  function stop() {
    if (repl) repl.stop();
    playing = false;
    toggle.textContent = 'Play';
    toggle.setAttribute('aria-pressed', 'false');
    tell('stopped', 'stopped');
  }

  try {
    code = decode(location.hash.slice(1));
  } catch (error) {
    code = null;
  }
  if (!code) {
    tell('error', 'No pattern to play.');
    return;
  }
  toggle.disabled = false;
  toggle.setAttribute('aria-pressed', 'false');
  tell('ready', 'ready');
  toggle.addEventListener('click', function () {
    if (playing) stop();
    else play();
  });
  window.addEventListener('message', function (event) {
    if (event.source === window.parent && event.data && event.data.type === 'nal-player-stop') {
      if (playing) stop();
    }
  });
})();
