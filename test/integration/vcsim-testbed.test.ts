// Tests of the simulator test bed itself (test/vcsim, test/support/vcsim.ts), with plain node:https and hand-written
// SOAP, independent of the product's vim client.
import https from 'node:https';
import fs from 'node:fs';
import type { TLSSocket } from 'node:tls';
import { startVcsim, type Vcsim } from '../support/vcsim.js';

// --- a minimal SOAP client (pins the simulator's SHA-1 thumbprint) ---------------------------------------------------

interface Answer { status: number; body: string; headers: Record<string, string | string[] | undefined> }

function request(sim: Vcsim, method: string, path: string, body?: string | Buffer, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = https.request({
      host: '127.0.0.1', port: Number(new URL(sim.url).port), method, path, agent: false,
      rejectUnauthorized: false, // self-signed: verified below by thumbprint instead
      headers: { ...headers, ...(body !== undefined ? { 'content-length': Buffer.byteLength(body) } : {}) },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
      res.on('error', reject);
    });
    req.on('socket', (socket) => {
      socket.once('secureConnect', () => {
        const fp = (socket as TLSSocket).getPeerCertificate().fingerprint;
        if (fp !== sim.thumbprintSHA1) req.destroy(new Error(`thumbprint mismatch: ${fp}`));
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

class Soap {
  cookie?: string;
  constructor(readonly sim: Vcsim) {}

  async call(inner: string): Promise<Answer> {
    const envelope = '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" ' +
      'xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>' +
      inner + '</soapenv:Body></soapenv:Envelope>';
    const res = await request(this.sim, 'POST', '/sdk', envelope, {
      'content-type': 'text/xml; charset=utf-8', soapaction: 'urn:vim25/6.7', ...(this.cookie ? { cookie: this.cookie } : {}),
    });
    const setCookie = res.headers['set-cookie'];
    if (setCookie?.length) this.cookie = setCookie[0].split(';')[0];
    // Go's encoder writes xsi:type inside property values as XMLSchema-instance:type; read both the same way.
    res.body = res.body.replace(/ xmlns:XMLSchema-instance="[^"]*"/g, '').replace(/XMLSchema-instance:type=/g, 'xsi:type=');
    return res;
  }

  /** A call that must succeed; returns the response body. */
  async ok(inner: string): Promise<string> {
    const res = await this.call(inner);
    if (res.status !== 200) throw new Error(`SOAP call failed (${res.status}): ${res.body}`);
    return res.body;
  }

  login(user = this.sim.username, password = this.sim.password): Promise<Answer> {
    return this.call(`<Login xmlns="urn:vim25"><_this type="SessionManager">SessionManager</_this><userName>${user}</userName>` +
      `<password>${password}</password></Login>`);
  }

  logout(): Promise<string> {
    return this.ok('<Logout xmlns="urn:vim25"><_this type="SessionManager">SessionManager</_this></Logout>');
  }

  async find(path: string): Promise<string> {
    const body = await this.ok(`<FindByInventoryPath xmlns="urn:vim25"><_this type="SearchIndex">SearchIndex</_this>` +
      `<inventoryPath>${path}</inventoryPath></FindByInventoryPath>`);
    const m = /<returnval type="[^"]+">([^<]+)<\/returnval>/.exec(body);
    if (!m) throw new Error(`${path} not found`);
    return m[1];
  }

  retrieve(type: string, moref: string, paths: string[], maxObjects?: number): Promise<string> {
    return this.ok(`<RetrievePropertiesEx xmlns="urn:vim25"><_this type="PropertyCollector">propertyCollector</_this><specSet>` +
      `<propSet><type>${type}</type>${paths.map((p) => `<pathSet>${p}</pathSet>`).join('')}</propSet>` +
      `<objectSet><obj type="${type}">${moref}</obj></objectSet></specSet>` +
      `<options>${maxObjects ? `<maxObjects>${maxObjects}</maxObjects>` : ''}</options></RetrievePropertiesEx>`);
  }

  /** Waits for a task and returns its info XML. */
  async task(responseBody: string): Promise<string> {
    const ref = /<returnval type="Task">([^<]+)<\/returnval>/.exec(responseBody)?.[1];
    if (!ref) throw new Error(`no task in ${responseBody}`);
    for (let i = 0; i < 100; i++) {
      const info = await this.retrieve('Task', ref, ['info']);
      if (/<state>(success|error)<\/state>/.test(info)) return info;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`task ${ref} did not finish`);
  }

  async reconfigure(vm: string, extraConfig: [string, string][]): Promise<string> {
    const options = extraConfig.map(([k, v]) => `<extraConfig xsi:type="OptionValue"><key>${k}</key><value xsi:type="xsd:string">${xmlEscape(v)}</value></extraConfig>`).join('');
    return this.task(await this.ok(`<ReconfigVM_Task xmlns="urn:vim25"><_this type="VirtualMachine">${vm}</_this><spec>${options}</spec></ReconfigVM_Task>`));
  }

  async extraConfig(vm: string): Promise<[string, string][]> {
    const body = await this.retrieve('VirtualMachine', vm, ['config.extraConfig']);
    return [...body.matchAll(/<OptionValue[^>]*><key>([^<]*)<\/key><value[^>]*>([^<]*)<\/value><\/OptionValue>/g)].map((m) => [m[1], xmlUnescape(m[2])]);
  }

  async powerState(vm: string): Promise<string> {
    return /<val xsi:type="VirtualMachinePowerState">([^<]+)<\/val>/.exec(await this.retrieve('VirtualMachine', vm, ['runtime.powerState']))?.[1] ?? '';
  }
}

const xmlEscape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const xmlUnescape = (s: string): string => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#34;/g, '"').replace(/&amp;/g, '&');

async function session(sim: Vcsim): Promise<Soap> {
  const s = new Soap(sim);
  const res = await s.login();
  expect(res.status).toBe(200);
  return s;
}

const ms = async (f: () => Promise<unknown>): Promise<number> => {
  const t = performance.now();
  await f();
  return performance.now() - t;
};

// --- tests -----------------------------------------------------------------------------------------------------------

describe('vcsim test bed', () => {
  let sim: Vcsim;
  let s: Soap;

  beforeAll(async () => {
    sim = await startVcsim();
    s = await session(sim);
  });
  afterAll(async () => { await sim?.stop(); });
  afterEach(async () => {
    await sim.clearFaults();
    await sim.setLatency(0);
  });

  describe('start and stop', () => {
    test('serves TLS on loopback at a free port and reports the certificate thumbprints', async () => {
      expect(sim.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/sdk$/);
      expect(sim.host).toBe(new URL(sim.url).host);
      expect(sim.thumbprintSHA1).toMatch(/^([0-9A-F]{2}:){19}[0-9A-F]{2}$/);
      expect(sim.thumbprintSHA256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
      expect(sim.fixes).toEqual(['poweron', 'extraconfig', 'vmx', 'snapshots']);
      const cert = await new Promise<{ fingerprint: string; fingerprint256: string }>((resolve, reject) => {
        const req = https.request({ host: '127.0.0.1', port: Number(new URL(sim.url).port), path: '/_testbed/info', rejectUnauthorized: false, agent: false }, (res) => {
          resolve((res.socket as TLSSocket).getPeerCertificate());
          res.resume();
        });
        req.on('error', reject);
        req.end();
      });
      expect(cert.fingerprint).toBe(sim.thumbprintSHA1);
      expect(cert.fingerprint256).toBe(sim.thumbprintSHA256);
    });

    test('the default inventory is the fixtures\' model', async () => {
      for (const p of ['DC0', 'DC0/host/DC0_C0', 'DC0/host/DC0_C0/DC0_C0_H0', 'DC0/host/DC0_C0/DC0_C0_H2', 'DC0/host/DC0_H0',
        'DC0/datastore/LocalDS_0', 'DC0/network/VM Network', 'DC0/network/DC0_DVPG0', 'DC0/network/DC0_DVPG1', 'DC0/network/DVS0',
        'DC0/vm/DC0_H0_VM0', 'DC0/vm/DC0_C0_RP0_VM1']) {
        await expect(s.find(p)).resolves.toBeTruthy();
      }
      await expect(s.find('DC0/host/DC0_C0/DC0_C0_H3')).rejects.toThrow('not found');
      await expect(s.find('DC0/host/DC0_C0/Resources/DC0_C0_RP1')).rejects.toThrow('not found');
    });

    test('stop ends the process, frees the port and removes the datastores; it is idempotent', async () => {
      const other = await startVcsim({ fixes: false, model: { host: 1, vm: 0, pg: 0 } });
      expect(other.fixes).toEqual([]);
      expect(other.url).not.toBe(sim.url);
      const dirs = Object.values(other.datastores);
      expect(dirs.length).toBe(1);
      expect(fs.existsSync(dirs[0])).toBe(true);
      await other.stop();
      await other.stop();
      expect(() => process.kill(other.pid, 0)).toThrow();
      expect(fs.existsSync(dirs[0])).toBe(false);
      await expect(request(other, 'GET', '/_testbed/info')).rejects.toThrow(/ECONNREFUSED/);
    });

    test('an ESXi model', async () => {
      const esx = await startVcsim({ esx: true });
      try {
        expect(esx.esx).toBe(true);
        const e = new Soap(esx);
        expect((await e.call('<Login xmlns="urn:vim25"><_this type="SessionManager">ha-sessionmgr</_this><userName>root</userName><password>x</password></Login>')).status).toBe(200);
        const about = await e.ok('<RetrieveServiceContent xmlns="urn:vim25"><_this type="ServiceInstance">ServiceInstance</_this></RetrieveServiceContent>');
        expect(about).toContain('<apiType>HostAgent</apiType>');
      } finally {
        await esx.stop();
      }
    });
  });

  describe('credentials', () => {
    test('by default any non-empty user name and password log in', async () => {
      const t = new Soap(sim);
      expect((await t.login('someone', 'anything')).status).toBe(200);
      await t.logout();
      expect((await new Soap(sim).login('someone', '')).body).toContain('InvalidLoginFault');
    });

    test('fixed credentials: only they log in; others get InvalidLogin', async () => {
      const fixed = await startVcsim({ username: 'admin@vsphere.local', password: 's3cret', fixes: false, model: { vm: 0 } });
      try {
        expect(fixed.username).toBe('admin@vsphere.local');
        const bad = await new Soap(fixed).login('admin@vsphere.local', 'wrong');
        expect(bad.status).toBe(500);
        expect(bad.body).toMatch(/<faultstring>Login failure<\/faultstring><detail><InvalidLoginFault xmlns="urn:vim25" xsi:type="InvalidLogin">/);
        expect((await new Soap(fixed).login('user', 'pass')).body).toContain('InvalidLoginFault');
        const good = new Soap(fixed);
        expect((await good.login()).status).toBe(200);
        expect(await fixed.openSessions()).toBe(1);
      } finally {
        await fixed.stop();
      }
      await expect(startVcsim({ username: 'x' })).rejects.toThrow('go together');
    });
  });

  describe('stats and sessions', () => {
    test('counts SOAP calls per method, datastore transfers per HTTP method and their bytes', async () => {
      await sim.resetStats();
      expect(await sim.stats()).toEqual({ soap: {}, http: {}, httpBytes: {}, other: {}, faults: 0, total: 0 });
      await s.find('DC0');
      await s.find('DC0/vm');
      await s.retrieve('Folder', 'group-d1', ['name']);
      const put = await request(sim, 'PUT', '/folder/testbed/stats.txt?dcPath=DC0&dsName=LocalDS_0', 'x'.repeat(1000), { cookie: s.cookie! });
      expect(put.status).toBe(200);
      const get = await request(sim, 'GET', '/folder/testbed/stats.txt?dcPath=DC0&dsName=LocalDS_0', undefined, { cookie: s.cookie! });
      expect(get.body).toBe('x'.repeat(1000));
      const st = await sim.stats();
      expect(st.soap).toEqual({ FindByInventoryPath: 2, RetrievePropertiesEx: 1 });
      expect(st.http).toEqual({ PUT: 1, GET: 1 });
      expect(st.httpBytes).toEqual({ PUT: 1000, GET: 1000 });
      expect(st.total).toBe(5);
      await sim.resetStats();
      expect((await sim.stats()).total).toBe(0);
    });

    test('counts open sessions: login adds one, logout removes it', async () => {
      const before = await sim.openSessions();
      const t = await session(sim);
      expect(await sim.openSessions()).toBe(before + 1);
      await t.logout();
      expect(await sim.openSessions()).toBe(before);
    });
  });

  describe('latency', () => {
    test('added to every request, settable at runtime', async () => {
      await sim.setLatency(250);
      expect(await ms(() => s.find('DC0'))).toBeGreaterThanOrEqual(240);
      await sim.setLatency(0);
      expect(await ms(() => s.find('DC0'))).toBeLessThan(200);
    });

    test('from the start (-latency-ms)', async () => {
      const slow = await startVcsim({ latencyMs: 200, fixes: false, model: { vm: 0 } });
      try {
        expect(await ms(() => new Soap(slow).login())).toBeGreaterThanOrEqual(190);
      } finally {
        await slow.stop();
      }
    });
  });

  describe('fault injection', () => {
    test('soapfault at the Nth call: a SOAP fault with the named vim fault in detail, once', async () => {
      await sim.injectFaults({ method: 'FindByInventoryPath', nth: 3, kind: 'soapfault', fault: 'InvalidState' });
      await s.find('DC0');
      await s.retrieve('Folder', 'group-d1', ['name']); // other methods do not count
      await s.find('DC0');
      const res = await s.call('<FindByInventoryPath xmlns="urn:vim25"><_this type="SearchIndex">SearchIndex</_this><inventoryPath>DC0</inventoryPath></FindByInventoryPath>');
      expect(res.status).toBe(500);
      expect(res.body).toMatch(/<soapenv:Fault><faultcode>ServerFaultCode<\/faultcode><faultstring>[^<]*<\/faultstring><detail><InvalidStateFault xmlns="urn:vim25" xsi:type="InvalidState"><\/InvalidStateFault><\/detail><\/soapenv:Fault>/);
      await expect(s.find('DC0')).resolves.toBeTruthy();
      const [rule] = await sim.faults();
      expect(rule).toMatchObject({ method: 'FindByInventoryPath', nth: 3, times: 1, seen: 3, fired: 1 });
      expect((await sim.stats()).faults).toBeGreaterThanOrEqual(1);
    });

    test('times, "*" and a custom message', async () => {
      await sim.injectFaults({ method: '*', kind: 'soapfault', fault: 'NotAuthenticated', times: 2, message: 'go away' });
      for (let i = 0; i < 2; i++) {
        const res = await s.call('<RetrieveServiceContent xmlns="urn:vim25"><_this type="ServiceInstance">ServiceInstance</_this></RetrieveServiceContent>');
        expect(res.body).toContain('<faultstring>go away</faultstring>');
        expect(res.body).toContain('xsi:type="NotAuthenticated"');
      }
      await expect(s.find('DC0')).resolves.toBeTruthy();
    });

    test('http500 on a datastore transfer; an unknown fault type is refused', async () => {
      await sim.injectFaults([{ method: 'http:PUT', kind: 'http500' }]);
      const put = await request(sim, 'PUT', '/folder/testbed/f.txt?dcPath=DC0&dsName=LocalDS_0', 'abc', { cookie: s.cookie! });
      expect(put.status).toBe(500);
      expect((await request(sim, 'PUT', '/folder/testbed/f.txt?dcPath=DC0&dsName=LocalDS_0', 'abc', { cookie: s.cookie! })).status).toBe(200);
      await expect(sim.injectFaults({ method: 'X', kind: 'soapfault', fault: 'NoSuchFault' })).rejects.toThrow('not a vim fault type');
      await expect(sim.injectFaults({ method: 'X', kind: 'explode' as never })).rejects.toThrow('kind');
    });

    test('drop closes the connection without an answer', async () => {
      await sim.injectFaults({ method: 'FindByInventoryPath', kind: 'drop' });
      await expect(s.find('DC0')).rejects.toThrow(/socket hang up|ECONNRESET/);
      await expect(s.find('DC0')).resolves.toBeTruthy();
    });

    test('drop-after executes the call, then closes the connection', async () => {
      const vm = await s.find('DC0/vm/DC0_H0_VM1');
      await sim.injectFaults({ method: 'ReconfigVM_Task', kind: 'drop-after' });
      await expect(s.reconfigure(vm, [['guestinfo.dropped', 'but-applied']])).rejects.toThrow(/socket hang up|ECONNRESET/);
      expect(await s.extraConfig(vm)).toContainEqual(['guestinfo.dropped', 'but-applied']);
    });

    test('taskfault: the call returns a task that fails with the named fault', async () => {
      const vm = await s.find('DC0/vm/DC0_H0_VM1');
      await sim.injectFaults({ method: 'ReconfigVM_Task', kind: 'taskfault', fault: 'InvalidState', message: 'not now' });
      const info = await s.reconfigure(vm, [['guestinfo.never', 'x']]);
      expect(info).toContain('<state>error</state>');
      expect(info).toMatch(/<error><fault xsi:type="InvalidState"><\/fault><localizedMessage>not now<\/localizedMessage><\/error>/);
      expect(info).toContain(`<entity type="VirtualMachine">${vm}</entity>`);
      expect(await s.extraConfig(vm)).not.toContainEqual(['guestinfo.never', 'x']);
    });

    test('slow delays the Nth call only', async () => {
      await sim.injectFaults({ method: 'FindByInventoryPath', nth: 2, kind: 'slow', delayMs: 300 });
      expect(await ms(() => s.find('DC0'))).toBeLessThan(250);
      expect(await ms(() => s.find('DC0'))).toBeGreaterThanOrEqual(290);
      expect(await ms(() => s.find('DC0'))).toBeLessThan(250);
    });
  });

  describe('vSphere fixes', () => {
    test('extraConfig: a key is replaced, an empty value deletes it', async () => {
      const vm = await s.find('DC0/vm/DC0_H0_VM0');
      await s.reconfigure(vm, [['guestinfo.a', '1'], ['guestinfo.b', 'x']]);
      await s.reconfigure(vm, [['guestinfo.a', '2']]);
      await s.reconfigure(vm, [['guestinfo.b', '']]);
      const ec = await s.extraConfig(vm);
      expect(ec.filter(([k]) => k === 'guestinfo.a')).toEqual([['guestinfo.a', '2']]);
      expect(ec.some(([k]) => k === 'guestinfo.b')).toBe(false);
    });

    test('extraConfig changes reach WaitForUpdatesEx', async () => {
      const vm = await s.find('DC0/vm/DC0_H0_VM0');
      const pc = /<returnval type="PropertyCollector">([^<]+)</.exec(await s.ok('<CreatePropertyCollector xmlns="urn:vim25"><_this type="PropertyCollector">propertyCollector</_this></CreatePropertyCollector>'))![1];
      await s.ok(`<CreateFilter xmlns="urn:vim25"><_this type="PropertyCollector">${pc}</_this><spec><propSet><type>VirtualMachine</type>` +
        `<pathSet>config.extraConfig</pathSet></propSet><objectSet><obj type="VirtualMachine">${vm}</obj></objectSet></spec><partialUpdates>false</partialUpdates></CreateFilter>`);
      const wait = (version: string): Promise<string> => s.ok(`<WaitForUpdatesEx xmlns="urn:vim25"><_this type="PropertyCollector">${pc}</_this>` +
        `<version>${version}</version><options><maxWaitSeconds>5</maxWaitSeconds></options></WaitForUpdatesEx>`);
      const first = await wait('');
      const version = /<version>([^<]*)<\/version>/.exec(first)![1];
      await s.reconfigure(vm, [['guestinfo.watched', 'changed']]);
      const next = await wait(version);
      expect(next).toContain('<name>config.extraConfig</name>');
      expect(next).toContain('<key>guestinfo.watched</key><value xsi:type="xsd:string">changed</value>');
      await s.ok(`<DestroyPropertyCollector xmlns="urn:vim25"><_this type="PropertyCollector">${pc}</_this></DestroyPropertyCollector>`);
    });

    test('without fixes the simulator appends duplicates (the gap is real)', async () => {
      const raw = await startVcsim({ fixes: false, model: { host: 1 } });
      try {
        const r = await session(raw);
        const vm = await r.find('DC0/vm/DC0_H0_VM0');
        await r.reconfigure(vm, [['guestinfo.a', '1']]);
        await r.reconfigure(vm, [['guestinfo.a', '2']]);
        expect((await r.extraConfig(vm)).filter(([k]) => k === 'guestinfo.a').length).toBe(2);
        const vmx = await request(raw, 'GET', '/folder/DC0_H0_VM0/DC0_H0_VM0.vmx?dcPath=DC0&dsName=LocalDS_0', undefined, { cookie: r.cookie! });
        expect(vmx.body).toBe('');
      } finally {
        await raw.stop();
      }
    });

    test('.vmx: the extraConfig of a reconfigured VM is in its file, escaped as VMware does', async () => {
      const vm = await s.find('DC0/vm/DC0_C0_RP0_VM0');
      await s.reconfigure(vm, [['guestinfo.ovfEnv', 'c2VjcmV0a2V5PQ=='], ['guestinfo.vice./init/networks', 'a|b "c"']]);
      const res = await request(sim, 'GET', '/folder/DC0_C0_RP0_VM0/DC0_C0_RP0_VM0.vmx?dcPath=DC0&dsName=LocalDS_0', undefined, { cookie: s.cookie! });
      expect(res.status).toBe(200);
      expect(res.body).toContain('displayName = "DC0_C0_RP0_VM0"\n');
      expect(res.body).toContain('guestinfo.ovfEnv = "c2VjcmV0a2V5PQ=="\n');
      expect(res.body).toContain('guestinfo.vice./init/networks = "a|7Cb |22c|22"\n');
      await s.reconfigure(vm, [['guestinfo.ovfEnv', '']]);
      const after = await request(sim, 'GET', '/folder/DC0_C0_RP0_VM0/DC0_C0_RP0_VM0.vmx?dcPath=DC0&dsName=LocalDS_0', undefined, { cookie: s.cookie! });
      expect(after.body).not.toContain('guestinfo.ovfEnv');
    });

    test('.vmx: a VM created with extraConfig has it in its file', async () => {
      const folder = await s.find('DC0/vm');
      const pool = await s.find('DC0/host/DC0_C0/Resources');
      const info = await s.task(await s.ok(`<CreateVM_Task xmlns="urn:vim25"><_this type="Folder">${folder}</_this><config>` +
        '<name>tb-created</name><guestId>otherGuest64</guestId><files><vmPathName>[LocalDS_0]</vmPathName></files>' +
        '<extraConfig xsi:type="OptionValue"><key>guestinfo.ovfEnv</key><value xsi:type="xsd:string">a2V5</value></extraConfig>' +
        '<extraConfig xsi:type="OptionValue"><key>guestinfo.empty</key><value xsi:type="xsd:string"></value></extraConfig>' +
        `</config><pool type="ResourcePool">${pool}</pool></CreateVM_Task>`));
      expect(info).toContain('<state>success</state>');
      const vm = /<result[^>]*"VirtualMachine"[^>]*>([^<]+)</.exec(info)![1];
      const ec = await s.extraConfig(vm);
      expect(ec).toContainEqual(['guestinfo.ovfEnv', 'a2V5']);
      expect(ec.some(([k]) => k === 'guestinfo.empty')).toBe(false);
      const vmx = await request(sim, 'GET', '/folder/tb-created/tb-created.vmx?dcPath=DC0&dsName=LocalDS_0', undefined, { cookie: s.cookie! });
      expect(vmx.body).toContain('guestinfo.ovfEnv = "a2V5"\n');
      expect(vmx.body).toContain('guestOS = "other-64"\n');
      expect(vmx.body).toMatch(/\nuuid\.bios = "([0-9a-f]{2} ){7}[0-9a-f]{2}-([0-9a-f]{2} ){7}[0-9a-f]{2}"\n/);
    });

    test('snapshots: revert restores extraConfig and the power state; remove works', async () => {
      const vm = await s.find('DC0/vm/DC0_C0_RP0_VM1');
      expect(await s.powerState(vm)).toBe('poweredOn');
      await s.reconfigure(vm, [['guestinfo.state', 'before']]);
      const snapInfo = await s.task(await s.ok(`<CreateSnapshot_Task xmlns="urn:vim25"><_this type="VirtualMachine">${vm}</_this>` +
        '<name>s1</name><memory>false</memory><quiesce>false</quiesce></CreateSnapshot_Task>'));
      const snap = /<result[^>]*"VirtualMachineSnapshot"[^>]*>([^<]+)</.exec(snapInfo)![1];
      await s.reconfigure(vm, [['guestinfo.state', 'after'], ['guestinfo.added', 'yes']]);
      // the snapshot kept its own copy
      expect(await s.retrieve('VirtualMachineSnapshot', snap, ['config.extraConfig'])).toContain('<key>guestinfo.state</key><value xsi:type="xsd:string">before</value>');

      const revert = await s.task(await s.ok(`<RevertToCurrentSnapshot_Task xmlns="urn:vim25"><_this type="VirtualMachine">${vm}</_this></RevertToCurrentSnapshot_Task>`));
      expect(revert).toContain('<state>success</state>');
      let ec = await s.extraConfig(vm);
      expect(ec).toContainEqual(['guestinfo.state', 'before']);
      expect(ec.some(([k]) => k === 'guestinfo.added')).toBe(false);
      expect(await s.powerState(vm)).toBe('poweredOff'); // a snapshot without memory reverts to powered off
      const vmx = await request(sim, 'GET', '/folder/DC0_C0_RP0_VM1/DC0_C0_RP0_VM1.vmx?dcPath=DC0&dsName=LocalDS_0', undefined, { cookie: s.cookie! });
      expect(vmx.body).toContain('guestinfo.state = "before"\n');
      expect(vmx.body).not.toContain('guestinfo.added');

      await s.reconfigure(vm, [['guestinfo.state', 'again']]);
      await s.task(await s.ok(`<RevertToSnapshot_Task xmlns="urn:vim25"><_this type="VirtualMachineSnapshot">${snap}</_this></RevertToSnapshot_Task>`));
      ec = await s.extraConfig(vm);
      expect(ec).toContainEqual(['guestinfo.state', 'before']);

      const removed = await s.task(await s.ok(`<RemoveSnapshot_Task xmlns="urn:vim25"><_this type="VirtualMachineSnapshot">${snap}</_this><removeChildren>true</removeChildren></RemoveSnapshot_Task>`));
      expect(removed).toContain('<state>success</state>');
      expect(await s.retrieve('VirtualMachine', vm, ['snapshot'])).not.toContain('rootSnapshotList');
    });

    test('PowerOnMultiVM_Task returns a ClusterPowerOnVmResult', async () => {
      const vm = await s.find('DC0/vm/DC0_H0_VM1');
      if (await s.powerState(vm) === 'poweredOn') {
        await s.task(await s.ok(`<PowerOffVM_Task xmlns="urn:vim25"><_this type="VirtualMachine">${vm}</_this></PowerOffVM_Task>`));
      }
      const dc = await s.find('DC0');
      const info = await s.task(await s.ok(`<PowerOnMultiVM_Task xmlns="urn:vim25"><_this type="Datacenter">${dc}</_this>` +
        `<vm type="VirtualMachine">${vm}</vm></PowerOnMultiVM_Task>`));
      expect(info).toContain('<state>success</state>');
      expect(info).toMatch(new RegExp(`<result xsi:type="ClusterPowerOnVmResult"><attempted><vm type="VirtualMachine">${vm}</vm><task type="Task">task-\\d+</task></attempted></result>`));
      expect(await s.powerState(vm)).toBe('poweredOn');
    });
  });

  describe('host firewall', () => {
    const rulesetEnabled = (firewallInfo: string, key: string): boolean | undefined => {
      const m = new RegExp(`<ruleset><key>${key}</key>.*?<enabled>(true|false)</enabled>`).exec(firewallInfo);
      return m ? m[1] === 'true' : undefined;
    };
    const firewallOf = async (t: Soap, host: string): Promise<string> => {
      const ref = await t.find(host);
      return /<val[^>]*"HostFirewallSystem"[^>]*>([^<]+)</.exec(await t.retrieve('HostSystem', ref, ['configManager.firewallSystem']))![1];
    };

    test('2377/tcp outbound is closed by default; rulesets are per host; Enable/Disable/UpdateRuleset work', async () => {
      const fw0 = await firewallOf(s, 'DC0/host/DC0_C0/DC0_C0_H0');
      const fw1 = await firewallOf(s, 'DC0/host/DC0_C0/DC0_C0_H1');
      const info = async (fw: string): Promise<string> => s.retrieve('HostFirewallSystem', fw, ['firewallInfo']);
      expect(rulesetEnabled(await info(fw0), 'vSPC')).toBe(false);
      await s.ok(`<EnableRuleset xmlns="urn:vim25"><_this type="HostFirewallSystem">${fw0}</_this><id>vSPC</id></EnableRuleset>`);
      expect(rulesetEnabled(await info(fw0), 'vSPC')).toBe(true);
      expect(rulesetEnabled(await info(fw1), 'vSPC')).toBe(false);
      await s.ok(`<UpdateRuleset xmlns="urn:vim25"><_this type="HostFirewallSystem">${fw0}</_this><id>vSPC</id><spec><allowedHosts>` +
        '<ipAddress>10.0.0.1</ipAddress><allIp>false</allIp></allowedHosts></spec></UpdateRuleset>');
      expect(await info(fw0)).toMatch(/<key>vSPC<\/key>.*?<allowedHosts><ipAddress>10\.0\.0\.1<\/ipAddress><allIp>false<\/allIp><\/allowedHosts>/);
      await s.ok(`<DisableRuleset xmlns="urn:vim25"><_this type="HostFirewallSystem">${fw0}</_this><id>vSPC</id></DisableRuleset>`);
      expect(rulesetEnabled(await info(fw0), 'vSPC')).toBe(false);
      const missing = await s.call(`<EnableRuleset xmlns="urn:vim25"><_this type="HostFirewallSystem">${fw0}</_this><id>vic-engine</id></EnableRuleset>`);
      expect(missing.body).toContain('xsi:type="NotFound"');
    });

    test('firewallOpen starts with vSPC enabled on every host', async () => {
      const open = await startVcsim({ firewallOpen: true, fixes: false, model: { vm: 0 } });
      try {
        const t = await session(open);
        for (const h of ['DC0/host/DC0_C0/DC0_C0_H0', 'DC0/host/DC0_C0/DC0_C0_H2', 'DC0/host/DC0_H0/DC0_H0']) {
          expect(rulesetEnabled(await t.retrieve('HostFirewallSystem', await firewallOf(t, h), ['firewallInfo']), 'vSPC')).toBe(true);
        }
      } finally {
        await open.stop();
      }
    });
  });

  test('RetrievePropertiesEx pages with maxObjects; ContinueRetrievePropertiesEx returns the rest', async () => {
    const view = /<returnval type="ContainerView">([^<]+)</.exec(await s.ok('<CreateContainerView xmlns="urn:vim25"><_this type="ViewManager">ViewManager</_this>' +
      '<container type="Folder">group-d1</container><type>VirtualMachine</type><recursive>true</recursive></CreateContainerView>'))![1];
    const spec = '<specSet><propSet><type>VirtualMachine</type><pathSet>name</pathSet></propSet>' +
      `<objectSet><obj type="ContainerView">${view}</obj><skip>true</skip><selectSet xsi:type="TraversalSpec"><type>ContainerView</type><path>view</path></selectSet></objectSet></specSet>`;
    const first = await s.ok(`<RetrievePropertiesEx xmlns="urn:vim25"><_this type="PropertyCollector">propertyCollector</_this>${spec}<options><maxObjects>2</maxObjects></options></RetrievePropertiesEx>`);
    expect(first.match(/<objects>/g)?.length).toBe(2);
    let token = /<token>([^<]+)<\/token>/.exec(first)?.[1];
    expect(token).toBeTruthy();
    let total = 2;
    while (token) {
      const next = await s.ok(`<ContinueRetrievePropertiesEx xmlns="urn:vim25"><_this type="PropertyCollector">propertyCollector</_this><token>${token}</token></ContinueRetrievePropertiesEx>`);
      const n = next.match(/<objects>/g)?.length ?? 0;
      expect(n).toBeLessThanOrEqual(2);
      total += n;
      token = /<token>([^<]+)<\/token>/.exec(next)?.[1];
    }
    expect(total).toBeGreaterThanOrEqual(4); // the model's 4 VMs (and any a test created)
    const unknown = await s.call('<ContinueRetrievePropertiesEx xmlns="urn:vim25"><_this type="PropertyCollector">propertyCollector</_this><token>nope</token></ContinueRetrievePropertiesEx>');
    expect(unknown.body).toContain('xsi:type="InvalidArgument"');
  });
});
