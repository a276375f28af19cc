// The header's account links, kept in step with the stored sign-in (also across tabs).
import { logout } from './api.mjs';
import { h, replace } from './dom.mjs';
import { readAuth } from './session.mjs';

/** Profile address of an artist. */
export function profileUrl(artistName) {
  return `/@${encodeURIComponent(artistName)}`;
}

function render() {
  const nav = document.getElementById('site-nav');
  if (!nav) return;
  const auth = readAuth();
  if (!auth) {
    replace(nav, h('a', { href: '/discover' }, 'Discover'), h('a', { href: '/' }, 'Join'), h('a', { href: '/signin' }, 'Sign in'));
    return;
  }
  const signOut = h('button', { type: 'button', class: 'secondary', id: 'sign-out' }, 'Sign out');
  signOut.addEventListener('click', async () => {
    signOut.disabled = true;
    await logout();
    window.location.assign('/signin');
  });
  replace(
    nav,
    h('a', { href: '/discover' }, 'Discover'),
    h('a', { href: '/community' }, 'Community'),
    auth.artistName ? h('a', { href: profileUrl(auth.artistName) }, `@${auth.artistName}`) : null,
    h('a', { href: '/me' }, 'Account'),
    signOut,
  );
}

/** Draw the navigation now and whenever the sign-in changes. */
export function installNav() {
  render();
  window.addEventListener('nal:auth', render);
}
