// The player frame: sandboxed (opaque origin, no access to the app), it loads the pinned
// Strudel engine from the CDN with its integrity hash, evaluates the pattern in the address
// fragment and plays or stops it. It reports its state to the page that framed it.
(function () {
  'use strict';
  const meta = document.querySelector('meta[name="strudel"]');
  const toggle = document.getElementById('toggle');
  const state = document.getElementById('state');
  let code = null;
  let loading = null;
  let repl = null;
  let playing = false;

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

  function loadEngine() {
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        const script = document.createElement('script');
        script.type = 'module';
        script.src = meta.content;
        script.integrity = meta.dataset.integrity;
        script.crossOrigin = 'anonymous';
        script.onload = resolve;
        script.onerror = function () {
          reject(new Error('The Strudel engine could not be loaded. Check your connection.'));
        };
        document.head.append(script);
      }).then(function () {
        const maps = (meta.dataset.samples || '').split(' ').filter(Boolean);
        return window.initStrudel({
          prebake: function () {
            // a sample map that fails leaves its sounds silent; the rest still plays
            return Promise.allSettled(maps.map((url) => window.samples(url)));
          },
          onEvalError: function (error) {
            playing = false;
            toggle.textContent = 'Play';
            tell('error', 'This pattern does not evaluate: ' + error.message);
          },
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
      tell('playing', 'playing');
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
