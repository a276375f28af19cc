// `/`: the onboarding as a conversation. A session is started (or resumed after a reload),
// each line goes to /process, and the "yes" that creates the account hands over to the
// recovery codes, the passkey offer and the new profile. Signed in, the page says so.
import { api, logout } from '../api.mjs';
import { fatal, h, main, replace } from '../dom.mjs';
import { installNav, profileUrl } from '../nav.mjs';
import { finishOnboarding } from '../onboarding/finish.mjs';
import { replay } from '../onboarding/history.mjs';
import { QUICK_REPLIES, conversationView } from '../onboarding/view.mjs';
import {
  clearOnboarding,
  readAuth,
  readOnboarding,
  saveAuth,
  saveOnboarding,
} from '../session.mjs';

const BASE = '/api/auth/musical-identity';
// the session is gone (unknown, expired or already used): a new one is the only way on
const SESSION_ENDED = new Set(['session_not_found', 'session_expired', 'session_completed']);

const state = { sessionId: null, step: 'discovery', dna: null, view: null };

function ended(error) {
  return (error?.status === 404 || error?.status === 410) && SESSION_ENDED.has(error.code);
}

function ask(step, prompt, suggestions) {
  state.step = step;
  state.view.ask(prompt, suggestions?.length ? suggestions : (QUICK_REPLIES[step] ?? []));
}

/** Open a new session and greet; errors are shown and the next send tries again. */
async function begin() {
  try {
    const started = await api(`${BASE}/start`, { method: 'POST' });
    state.sessionId = started.sessionId;
    state.dna = null;
    saveOnboarding(started.sessionId);
    state.view.service(started.message, started.prompt);
    ask(started.step, started.prompt);
    return true;
  } catch (error) {
    state.view.error(error);
    return false;
  }
}

/** Pick up a stored session; false when it can't be (the caller starts afresh). */
async function resume(sessionId) {
  let session;
  try {
    session = await api(`${BASE}/session/${encodeURIComponent(sessionId)}`);
  } catch (error) {
    clearOnboarding();
    if (ended(error)) {
      state.view.notice('Your earlier conversation has ended, so let’s start a new one.');
    } else {
      state.view.error(error);
      state.view.notice('Starting a new conversation instead.');
    }
    return false;
  }
  state.sessionId = session.sessionId;
  state.dna = session.musicDNA;
  state.view.notice('Welcome back: picking up where you left off.');
  replay(state.view, session);
  if (session.step === 'confirmation' && session.artistName) {
    state.view.service(`Your name: "${session.artistName}".`, session.prompt);
  } else {
    state.view.service('Where were we…', session.prompt);
  }
  ask(session.step, session.prompt);
  return true;
}

function completed(answer) {
  const user = answer.user;
  saveAuth({
    token: answer.token,
    refreshToken: answer.refreshToken,
    deviceKey: answer.deviceKey,
    artistName: user.artistName,
    userId: user.id,
  });
  clearOnboarding();
  state.view.close();
  const panel = h('section', { class: 'panel finish', 'aria-label': 'Your new account' });
  state.view.append(panel);
  return finishOnboarding(panel, user.artistName, answer.recoveryCodes ?? []);
}

function answered(answer) {
  state.view.service(answer.message, answer.nextStep === 'completed' ? null : answer.prompt);
  if (answer.musicDNA) state.dna = answer.musicDNA;
  if (answer.pattern) state.view.pattern(answer.pattern, state.dna);
  if (answer.nextStep === 'completed' && answer.token) return completed(answer);
  ask(answer.nextStep, answer.prompt, answer.suggestions);
  state.view.focus();
  return null;
}

/** Send one line; on failure say why and give the line back. */
async function send(text) {
  const echo = state.view.artist(text);
  state.view.clear();
  if (!state.sessionId && !(await begin())) {
    echo.classList.add('unsent');
    state.view.restore(text);
    return;
  }
  let answer;
  try {
    answer = await api(`${BASE}/process`, {
      method: 'POST',
      body: { sessionId: state.sessionId, input: text },
    });
  } catch (error) {
    echo.classList.add('unsent');
    if (ended(error)) {
      clearOnboarding();
      state.sessionId = null;
      state.view.notice('That conversation has ended, so here is a new one. Send your line again.');
      await begin();
    } else {
      state.view.error(error);
    }
    state.view.restore(text);
    return;
  }
  try {
    await answered(answer);
  } catch (error) {
    // the line was taken; only drawing the answer failed: say so, never a blank screen
    state.view.error(error);
  }
}

function signedIn(auth) {
  const name = auth.artistName;
  const signOut = h('button', { type: 'button', class: 'secondary' }, 'Sign out and start over');
  signOut.addEventListener('click', async () => {
    signOut.disabled = true;
    await logout();
    window.location.assign('/');
  });
  const title = h('h1', {}, name ? `You're signed in as @${name}` : "You're signed in");
  replace(
    main(),
    h(
      'section',
      { class: 'panel signed-in' },
      title,
      h(
        'ul',
        { class: 'plain' },
        name ? h('li', {}, h('a', { href: profileUrl(name) }, `Your profile @${name}`)) : null,
        h('li', {}, h('a', { href: '/me' }, 'Your account and security')),
      ),
      h('p', { class: 'muted' }, 'To make a new musical identity, sign out first.'),
      signOut,
    ),
  );
}

async function boot() {
  installNav();
  const auth = readAuth();
  if (auth) {
    signedIn(auth);
    return;
  }
  state.view = conversationView(main(), send);
  state.view.open();
  const stored = readOnboarding();
  if (!(stored && (await resume(stored.sessionId)))) await begin();
  state.view.focus();
}

boot().catch(fatal);
