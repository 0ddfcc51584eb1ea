// The console's session rules that need a server of their own: plain HTTP for loopback clients only (--scheme http),
// and the idle timeout (--console-idle).
//  - --scheme http: the real server process, http alone, on 127.0.0.1 (tests bind 127.0.0.0/8 only): the console
//    works there for a loopback client in chromium (login, list). A non-loopback peer cannot be made on this machine,
//    so the refusal is tested at the decision (consoleServedTo, src/server/console/front.ts) over addresses of each
//    kind, and through the server's own handlers (the console's front over the API's app, against the simulator)
//    served in-process on 127.0.0.1, the peer address each handler reads replaced by a non-loopback one: pages,
//    login, the session routes and the cookie are refused there, and served again to loopback addresses.
//  - --console-idle 3s: after the idle period the next request is 401, the console shows its login again, and the
//    vSphere session is gone from the simulator's list; a session whose create task runs is not ended meanwhile.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { simulatorSuite } from '../support/simulator-suite.js';
import type { Vcsim } from '../support/vcsim.js';
import { consoleServedTo } from '../../src/server/console/front.js';
import { mountConsole } from '../../src/server/console/mount.js';
import { RequestLog } from '../../src/server/request-log.js';
import { createApp } from '../../src/server/app.js';
import type { ServerContext } from '../../src/server/context.js';
import { Router } from '../../src/server/router.js';
import { allRoutes } from '../../src/server/routes/index.js';
import { SessionPool } from '../../src/server/session-pool.js';
import { TaskRegistry } from '../../src/server/tasks.js';
import { request, startServer, type Answer, type ServerProcess } from '../server/support/server-process.js';
import { connect, context, haveChromium, launch, type ConsoleBrowser } from './support/browser.js';

let sim: Vcsim;
let cwd: string;
const USER = 'session-admin';
const PASSWORD = 'Sess10n-Secr3t-pw';
simulatorSuite({ tmpPrefix: 'vicm-console-session-', isos: true, vcsim: { username: USER, password: PASSWORD, firewallOpen: true } }, (s) => ({ sim, cwd } = s));

const IDLE_MS = 3000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('--scheme http: the console for loopback clients only (the decision)', () => {
  const peer = (remoteAddress: string, encrypted = false) => consoleServedTo({ socket: Object.assign(Object.create(null), { remoteAddress, encrypted }) });
  test.each(['127.0.0.1', '127.0.0.2', '127.255.255.254', '::1', '::ffff:127.0.0.1', '::ffff:127.1.2.3'])('plain http from %s (loopback): served', (a) => {
    expect(peer(a)).toBe(true);
  });
  test.each(['192.0.2.2', '10.0.0.1', '::ffff:10.0.0.1', '::ffff:192.0.2.2', 'fe80::1', '2001:db8::1', '::', '0.0.0.0', '128.0.0.1', '::2'])('plain http from %s: refused', (a) => {
    expect(peer(a)).toBe(false);
  });
  test('over TLS: served to any peer', () => {
    expect(peer('192.0.2.2', true)).toBe(true);
    expect(peer('fe80::1', true)).toBe(true);
  });

  test('the server\'s handlers (the API behind the console\'s front), served on 127.0.0.1 with another peer address per request: pages, login and cookie refused to non-loopback peers', async () => {
    const mounted = mountConsole({ consoleIdleMs: 60_000 });
    const log = new RequestLog(undefined, { write: () => true });
    const server: ServerContext = {
      pool: new SessionPool({ idleMs: 1000, userAgent: 'session.test' }), isoDirectories: [cwd], log, spec: () => ({}),
      stopping: new AbortController().signal, tasks: new TaskRegistry(), busy: new Map(),
    };
    const app = createApp({ router: new Router([...allRoutes(), ...mounted.routes]), server, corsOrigins: [] });
    const front = mounted.front(app.handle, log);
    let fakePeer = '127.0.0.1';
    const listener = http.createServer((req, res) => {
      // the connection is real (127.0.0.1); only the peer address the handlers read is another host's
      Object.defineProperty(req.socket, 'remoteAddress', { value: fakePeer, configurable: true });
      front(req, res);
    });
    await new Promise<void>((r) => listener.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
    const agent = new http.Agent({ keepAlive: false });
    const list = `/container/target/${encodeURIComponent(sim.host)}/vch?thumbprint=${encodeURIComponent(sim.thumbprintSHA1)}`;
    try {
      // a loopback peer logs in over plain http; its cookie is the vSphere session's
      const login = await request(base, 'POST', '/container/console/session', { agent, body: { target: sim.host, user: USER, password: PASSWORD, thumbprint: sim.thumbprintSHA256 } });
      expect(login.status).toBe(201);
      const cookie = String(login.headers['set-cookie']).split(';')[0]!;
      const held = { Cookie: cookie, 'X-CSRF-Token': login.json.csrf_token as string };
      expect((await request(base, 'GET', list, { agent, headers: held })).status).toBe(200);
      for (const p of ['192.0.2.2', '::ffff:10.0.0.1', 'fe80::1']) {
        fakePeer = p;
        const page = await request(base, 'GET', '/', { agent });
        expect([page.status, page.json?.message]).toEqual([403, 'the console is served over https (over http to loopback clients only)']);
        const again = await request(base, 'POST', '/container/console/session', { agent, body: { target: sim.host, user: USER, password: PASSWORD, thumbprint: sim.thumbprintSHA256 } });
        expect(again.status).toBe(403);
        expect((await request(base, 'GET', '/container/console/session', { agent, headers: held })).status).toBe(403);
        expect((await request(base, 'DELETE', '/container/console/session', { agent, headers: held })).status).toBe(403);
        // the cookie is not turned into credentials: the API asks for its own (Basic)
        const viaCookie = await request(base, 'GET', list, { agent, headers: held });
        expect([viaCookie.status, viaCookie.headers['www-authenticate']]).toEqual([401, expect.stringMatching(/^Basic/)]);
      }
      for (const p of ['127.0.0.2', '::1', '::ffff:127.0.0.1']) {
        fakePeer = p;
        const page = await request(base, 'GET', '/', { agent });
        expect([page.status, page.headers['content-type']]).toEqual([200, expect.stringMatching(/text\/html/)]);
        expect((await request(base, 'GET', list, { agent, headers: held })).status).toBe(200);
      }
      expect((await request(base, 'DELETE', '/container/console/session', { agent, headers: held })).status).toBe(204);
    } finally {
      await new Promise<void>((r) => listener.close(() => r()));
      await mounted.close();
      await server.pool.closeAll();
    }
  });
});

describe('a server of http alone, --console-idle 3s', () => {
  let srv: ServerProcess;
  let b: ConsoleBrowser | undefined;
  beforeAll(async () => {
    srv = await startServer({ cwd, schemes: ['http'], args: ['--console-idle', `${IDLE_MS / 1000}s`] });
    if (haveChromium) b = await launch();
  });
  afterAll(async () => {
    await b?.close();
    expect(await srv?.stop()).toBe(0);
  });

  /** Logs in through the API as the console's page does: the cookie and the CSRF token. */
  async function apiLogin(): Promise<{ cookie: string; csrf: string; thumbprint: string }> {
    const a = await request(srv.http, 'POST', '/container/console/session', { body: { target: sim.host, user: USER, password: PASSWORD, thumbprint: sim.thumbprintSHA256 } });
    expect(a.status).toBe(201);
    const cookie = String(a.headers['set-cookie']).split(';')[0]!;
    return { cookie, csrf: a.json.csrf_token, thumbprint: a.json.thumbprint };
  }
  const withSession = (s: { cookie: string; csrf: string }, extra: Record<string, string> = {}) => ({ headers: { Cookie: s.cookie, 'X-CSRF-Token': s.csrf, 'X-VIC-Console': '1', ...extra } });

  (haveChromium ? test : test.skip)('the console over http on 127.0.0.1: log in, the list; idle past --console-idle: 401, the login again, the vSphere session gone', async () => {
    const { ctx, page, requests } = await context(b!, srv.http);
    try {
      await page.goto(`${srv.http}/`);
      await page.getByRole('heading', { name: 'Connect to vSphere' }).waitFor();
      const before = await sim.openSessions();
      await connect(page, sim.host, USER, PASSWORD);
      // the cookie over plain http to a loopback address: kept by the browser (127.0.0.1 is a secure context)
      const cookies = await ctx.cookies();
      expect(cookies.map((c) => [c.name, c.httpOnly, c.sameSite])).toEqual([['vic-console-session', true, 'Strict']]);
      expect(await sim.openSessions()).toBe(before + 1);
      expect(requests.foreign).toEqual([]);
      // idle: nothing asked for longer than --console-idle (and the sweep's second)
      await sleep(IDLE_MS + 2000);
      expect(await sim.openSessions()).toBe(before);
      const old = await request(srv.http, 'GET', '/container/console/session', { headers: { Cookie: `${cookies[0]!.name}=${cookies[0]!.value}`, 'X-VIC-Console': '1' } });
      expect([old.status, old.json.field]).toEqual([401, 'session']);
      // the page's next request is answered 401: it shows the login again
      await page.getByRole('button', { name: /Refresh/ }).click();
      await page.getByRole('heading', { name: 'Connect to vSphere' }).waitFor();
    } finally {
      await ctx.close();
    }
  }, 60_000);

  test('a console session whose create task runs is not ended while the task runs; once it ended, it idles out', async () => {
    const sessionsBefore = await sim.openSessions();
    const s = await apiLogin();
    const base = `/container/target/${encodeURIComponent(sim.host)}`;
    const tp = `thumbprint=${encodeURIComponent(s.thumbprint)}`;
    const body = { name: 'vch-idle', compute: { resource: { name: 'DC0_C0' } }, network: { bridge: { port_group: { name: 'DC0_DVPG1' } } }, auth: { client: { no_tls_verify: true } } };
    const c = await request(srv.http, 'POST', `${base}/vch?${tp}`, { body, ...withSession(s, { Prefer: 'respond-async' }) });
    expect([c.status, c.json.message]).toEqual([201, undefined]);
    const taskPath = new URL(c.json.task).pathname;
    let task: Answer | undefined;
    try {
      // no appliance plays this VCH: the task waits for its address until cancelled
      for (let i = 0; i < 300; i++) {
        task = await request(srv.http, 'GET', taskPath, withSession(s));
        if (task.json.phase === 'Waiting for IP information' || task.json.state !== 'running') break;
        await sleep(100);
      }
      expect(task!.json).toMatchObject({ state: 'running', phase: 'Waiting for IP information' });
      const during = await sim.openSessions();
      // longer than the idle period without a request of this session: the running task keeps it
      await sleep(IDLE_MS + 2000);
      expect(await sim.openSessions()).toBe(during);
      const alive = await request(srv.http, 'GET', '/container/console/session', withSession(s));
      expect(alive.status).toBe(200);
    } finally {
      const cancelled = await request(srv.http, 'DELETE', taskPath, withSession(s));
      expect(cancelled.json.state).toBe('cancelled');
    }
    await sleep(IDLE_MS + 2000);
    const gone = await request(srv.http, 'GET', '/container/console/session', withSession(s));
    expect([gone.status, gone.json.field]).toEqual([401, 'session']);
    // the console's vSphere session ended with it (and create's own login with the task)
    expect(await sim.openSessions()).toBe(sessionsBefore);
  }, 90_000);
});
