// Credential processing of the target group (reference §1.1), GOVC_* fallbacks (ecosystem-notes §5.4).
import { describe, expect, jest, test } from '@jest/globals';
import { UsageError } from '../../../src/cli/errors.js';
import { parseTargetUrl } from '../../../src/cli/flags/types.js';
import type { TargetFlags } from '../../../src/cli/options.js';
import { displayTarget, resolveTarget, type TargetContext } from '../../../src/cli/target.js';

function flags(target?: string, rest: Partial<TargetFlags> = {}): TargetFlags {
  const f: TargetFlags = { user: '', thumbprint: '', ...rest };
  if (target !== undefined) f.target = parseTargetUrl(target)!;
  return f;
}

function ctx(over: Partial<TargetContext> = {}): TargetContext {
  return {
    env: {},
    interactive: false,
    promptPassword: () => Promise.reject(new Error('unexpected prompt')),
    ...over,
  };
}

async function failure(p: Promise<unknown>): Promise<UsageError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return e as UsageError;
  }
  throw new Error('expected a UsageError');
}

describe('resolveTarget', () => {
  test('user and password from the URL; https by default; datacenter from the path; no userinfo left', async () => {
    const t = await resolveTarget(flags('root:s3cret@vc.example.com/DC0'), ctx());
    expect(t.user).toBe('root');
    expect(t.password).toBe('s3cret');
    expect(t.url.href).toBe('https://vc.example.com/');
    expect(t.url.username).toBe('');
    expect(t.url.password).toBe('');
    expect(t.host).toBe('vc.example.com');
    expect(t.datacenterPath).toBe('/DC0');
    expect(t.thumbprint).toBeUndefined();
    expect(displayTarget(t)).toBe('https://vc.example.com/DC0');
    expect(JSON.stringify({ ...t, password: undefined })).not.toContain('s3cret');
  });

  test('port, nested and encoded datacenter paths, trailing slash, http, IPv6', async () => {
    const a = await resolveTarget(flags('u:p@127.0.0.1:18443/Folder/My%20DC/'), ctx());
    expect(a.url.href).toBe('https://127.0.0.1:18443/');
    expect(a.host).toBe('127.0.0.1');
    expect(a.datacenterPath).toBe('/Folder/My DC');
    const b = await resolveTarget(flags('http://u:p@esx/'), ctx());
    expect(b.url.protocol).toBe('http:');
    expect(b.datacenterPath).toBeUndefined();
    const c = await resolveTarget(flags('u:p@[::1]:443'), ctx());
    expect(c.host).toBe('::1');
  });

  test('special characters in URL userinfo are decoded (the last @ separates the host)', async () => {
    const t = await resolveTarget(flags('administrator@vsphere.local:p@ss:w%2Frd@vc'), ctx());
    expect(t.user).toBe('administrator@vsphere.local');
    expect(t.password).toBe('p@ss:w/rd');
    expect(t.host).toBe('vc');
  });

  test('--user and --password win over the URL; --thumbprint is passed on', async () => {
    const t = await resolveTarget(flags('root:urlpw@vc', { user: 'admin', password: 'flagpw', thumbprint: '2C:11:ED:D7:13:87:7D:B5:74:18:B8:1C:42:C2:56:1F:0D:B9:5B:B9' }), ctx());
    expect(t.user).toBe('admin');
    expect(t.password).toBe('flagpw');
    expect(String(t.thumbprint)).toBe('2C:11:ED:D7:13:87:7D:B5:74:18:B8:1C:42:C2:56:1F:0D:B9:5B:B9');
  });

  test('an explicitly empty --password is used, not prompted for', async () => {
    const t = await resolveTarget(flags('root@vc', { password: '' }), ctx({ interactive: true }));
    expect(t.password).toBe('');
  });

  test('no target: "--target argument must be specified"', async () => {
    const e = await failure(resolveTarget(flags(), ctx()));
    expect(e.message).toBe('--target argument must be specified');
    expect(e.flag).toBe('--target');
    expect(e.exitCode).toBe(2);
  });

  test('no user: the original message', async () => {
    const e = await failure(resolveTarget(flags('vc'), ctx()));
    expect(e.message).toBe('vSphere user must be specified, either with --user or as part of --target');
    expect(e.flag).toBe('--user');
  });

  test('VIC_MACHINE_API_TIMEOUT: a duration of at least 1s becomes the request timeout; anything else is a usage error', async () => {
    expect((await resolveTarget(flags('u:p@vc'), ctx())).requestTimeoutMs).toBeUndefined();
    expect((await resolveTarget(flags('u:p@vc'), ctx({ env: { VIC_MACHINE_API_TIMEOUT: '90s' } }))).requestTimeoutMs).toBe(90_000);
    expect((await resolveTarget(flags('u:p@vc'), ctx({ env: { VIC_MACHINE_API_TIMEOUT: '1m30s' } }))).requestTimeoutMs).toBe(90_000);
    for (const bad of ['soon', '500ms', '-1s']) {
      const e = await failure(resolveTarget(flags('u:p@vc'), ctx({ env: { VIC_MACHINE_API_TIMEOUT: bad } })));
      expect(e.message).toBe(`invalid value "${bad}" for VIC_MACHINE_API_TIMEOUT: expected a duration of at least 1s, such as 90s or 5m`);
    }
  });

  test('no password and no terminal: a clear error, no prompt', async () => {
    const prompt = jest.fn(() => Promise.resolve('x'));
    const e = await failure(resolveTarget(flags('root@vc'), ctx({ promptPassword: prompt })));
    expect(e.message).toBe('no vSphere password for root, and no terminal to prompt on');
    expect(e.hint).toBe('pass --password or set VIC_MACHINE_PASSWORD');
    expect(e.flag).toBe('--password');
    expect(prompt).not.toHaveBeenCalled();
  });

  test('no password on a terminal: prompts once with the user name', async () => {
    const prompt = jest.fn((_m: string) => Promise.resolve('typed'));
    const t = await resolveTarget(flags('vc', { user: 'root' }), ctx({ interactive: true, promptPassword: prompt }));
    expect(t.password).toBe('typed');
    expect(prompt).toHaveBeenCalledTimes(1);
    expect(prompt.mock.calls[0]![0]).toBe('vSphere password for root:');
  });

  test('passwordOptional (commands not built yet): no prompt, no error', async () => {
    const t = await resolveTarget(flags('root@vc'), ctx({ interactive: true }), { passwordOptional: true });
    expect(t.password).toBe('');
  });

  describe('GOVC_* at lower priority', () => {
    const govc = { GOVC_URL: 'https://govc-user:govc-pw@vc.example.com/sdk', GOVC_USERNAME: 'gu', GOVC_PASSWORD: 'gp', GOVC_DATACENTER: 'DC1' };

    test('GOVC_URL is the target when there is none; its /sdk path is not a datacenter; GOVC_DATACENTER is', async () => {
      const t = await resolveTarget(flags(), ctx({ env: govc }));
      expect(t.source).toBe('GOVC_URL');
      expect(t.url.href).toBe('https://vc.example.com/');
      expect(t.user).toBe('govc-user');
      expect(t.password).toBe('govc-pw');
      expect(t.datacenterPath).toBe('/DC1');
    });

    test('GOVC_USERNAME / GOVC_PASSWORD fill in for a bare GOVC_URL', async () => {
      const t = await resolveTarget(flags(), ctx({ env: { GOVC_URL: 'vc.example.com', GOVC_USERNAME: 'gu', GOVC_PASSWORD: 'gp' } }));
      expect(t.user).toBe('gu');
      expect(t.password).toBe('gp');
      expect(t.datacenterPath).toBeUndefined();
    });

    test('--target and the URL credentials win over GOVC_*', async () => {
      const t = await resolveTarget(flags('root:pw@vc.example.com/DC0'), ctx({ env: govc }));
      expect(t.source).toBe('flag');
      expect(t.user).toBe('root');
      expect(t.password).toBe('pw');
      expect(t.datacenterPath).toBe('/DC0');
    });

    test('GOVC credentials are used for the GOVC_URL host only', async () => {
      const same = await resolveTarget(flags('vc.example.com'), ctx({ env: govc }));
      expect([same.user, same.password]).toEqual(['gu', 'gp']);
      const e = await failure(resolveTarget(flags('other-vc'), ctx({ env: govc })));
      expect(e.message).toMatch(/vSphere user must be specified/);
      const noUrl = await resolveTarget(flags('other-vc'), ctx({ env: { GOVC_USERNAME: 'gu', GOVC_PASSWORD: 'gp' } }));
      expect([noUrl.user, noUrl.password]).toEqual(['gu', 'gp']);
    });
  });
});
