// The console's entry: asks the server for the session of the cookie (after a reload the script holds no token),
// then routes by the URL's hash: #/ the list, #/vch/<id> one VCH, #/vch/<id>/configure its configure
// form, #/create the wizard; the login otherwise.
import { ApiFailure, call, session, setSession, whenSessionEnds, type ConsoleSession } from './api.js';
import { h, status } from './dom.js';
import { detailsPage } from './pages/details.js';
import { listPage } from './pages/list.js';
import { loginPage } from './pages/login.js';
import { createPage } from './pages/create.js';
import { configurePage } from './pages/configure.js';

function header(): void {
  const who = document.getElementById('who')!;
  const s = session();
  if (!s) {
    who.replaceChildren();
    return;
  }
  const out = h('button', { type: 'button' }, 'Log out');
  out.addEventListener('click', async () => {
    out.disabled = true;
    try {
      await call('DELETE', '/container/console/session');
    } catch { /* ended already */ }
    const remembered = { target: s.target, user: s.user };
    setSession(undefined);
    header();
    status('Logged out: the vSphere session has ended');
    loginPage(route, remembered);
  });
  who.replaceChildren(h('span', {}, `${s.user} @ ${s.target}`), out);
}

function route(): void {
  header();
  if (!session()) {
    loginPage(route);
    return;
  }
  const hash = location.hash.replace(/^#/, '') || '/';
  const vch = /^\/vch\/([^/]+)$/.exec(hash);
  const configure = /^\/vch\/([^/]+)\/configure$/.exec(hash);
  if (vch) void detailsPage(decodeURIComponent(vch[1]!));
  else if (configure) void configurePage(decodeURIComponent(configure[1]!));
  else if (hash === '/create') void createPage();
  else listPage();
}

async function start(): Promise<void> {
  whenSessionEnds(() => {
    status('The session has ended: log in again');
    route();
  });
  try {
    setSession(await call<ConsoleSession>('GET', '/container/console/session'));
  } catch (e) {
    if (!(e instanceof ApiFailure)) throw e;
  }
  window.addEventListener('hashchange', route);
  route();
}

void start();
