// placeholder: the me page is being built
import { installNav } from '../nav.mjs';
import { h, main, replace } from '../dom.mjs';

installNav();
replace(main(), h('p', {}, 'Coming soon.'));
