import { describe, expect, test } from '@jest/globals';
import { UsageError } from '../../../src/cli/errors.js';
import { flag } from '../../../src/cli/flags/groups.js';
import {
  camelCase, censorUrlText, formatDuration, parseDuration, parseFlagValue, parseGoBool, parseInteger, parseShares, parseTargetUrl,
} from '../../../src/cli/flags/types.js';

function errorOf(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return e as UsageError;
  }
  throw new Error('expected an error');
}

describe('Go durations', () => {
  test.each([
    ['3m0s', 180_000], ['3m', 180_000], ['90s', 90_000], ['1h2m', 3_720_000], ['1h2m3s', 3_723_000], ['1.5h', 5_400_000],
    ['500ms', 500], ['0', 0], ['0s', 0], ['2m30.5s', 150_500], ['.5s', 500], ['1us', 0.001], ['-1m', -60_000], ['+15s', 15_000],
  ])('%s = %d ms', (s, ms) => {
    expect(parseDuration(s)).toBeCloseTo(ms, 6);
  });

  test.each(['', '10', 'abc', '1x', '3 m', 'm', '1h 2m', '.s', '1.2.3s'])('%j is rejected', (s) => {
    expect(parseDuration(s)).toBeUndefined();
  });

  test.each([
    [180_000, '3m0s'], [15_000, '15s'], [3_720_000, '1h2m0s'], [1500, '1.5s'], [500, '500ms'], [0, '0s'], [3_600_000, '1h0m0s'],
    [-60_000, '-1m0s'], [0.001, '1µs'],
  ])('%d ms prints as %s', (ms, s) => {
    expect(formatDuration(ms)).toBe(s);
  });

  test('a bad --timeout names the flag and the syntax', () => {
    const def = flag({ name: 'timeout', type: 'duration', default: '3m0s', min: 1, usage: '' });
    expect(errorOf(() => parseFlagValue(def, 'abc')).message).toBe(
      'invalid value "abc" for flag --timeout: expected a duration such as 90s, 3m0s or 1h2m (units h, m, s, ms)');
    expect(errorOf(() => parseFlagValue(def, '0s')).message).toMatch(/--timeout.*greater than 0/);
    expect(errorOf(() => parseFlagValue(def, 'abc')).flag).toBe('--timeout');
  });
});

describe('shares', () => {
  test.each([
    ['low', { level: 'low' }], ['NORMAL', { level: 'normal' }], ['High', { level: 'high' }],
    ['4000', { level: 'custom', shares: 4000 }], ['163840', { level: 'custom', shares: 163840 }],
  ])('%s', (s, v) => {
    expect(parseShares(s)).toEqual(v);
  });

  test.each(['medium', '', '1.5', '-4', '0', 'high2'])('%j is rejected, naming the flag', (s) => {
    expect(parseShares(s)).toBeUndefined();
    const def = flag({ name: 'cpu-shares', type: 'shares', usage: '' });
    const e = errorOf(() => parseFlagValue(def, s));
    expect(e.message).toContain('--cpu-shares');
    expect(e.message).toContain('low, normal, high');
  });
});

describe('integers and booleans', () => {
  test('integers', () => {
    expect(parseInteger('2048')).toBe(2048);
    expect(parseInteger('-1')).toBe(-1);
    expect(parseInteger('007')).toBe(7);
    expect(parseInteger('1e3')).toBeUndefined();
    expect(parseInteger('0x10')).toBeUndefined();
    expect(parseInteger('12abc')).toBeUndefined();
    expect(parseInteger('99999999999999999999')).toBeUndefined();
  });

  test('opt-int and int errors name the flag; min is enforced', () => {
    const mem = flag({ name: 'memory', type: 'opt-int', usage: '' });
    expect(parseFlagValue(mem, '0')).toBe(0);
    expect(errorOf(() => parseFlagValue(mem, 'lots')).message).toBe('invalid value "lots" for flag --memory: expected an integer');
    const cpu = flag({ name: 'endpoint-cpu', type: 'int', min: 1, usage: '' });
    expect(errorOf(() => parseFlagValue(cpu, '0')).message).toContain('at least 1');
    expect(errorOf(() => parseFlagValue(cpu, 'x', '$ENDPOINT')).message).toContain('(from $ENDPOINT)');
  });

  test('Go strconv.ParseBool spellings', () => {
    for (const t of ['1', 't', 'T', 'TRUE', 'true', 'True']) expect(parseGoBool(t)).toBe(true);
    for (const f of ['0', 'f', 'F', 'FALSE', 'false', 'False']) expect(parseGoBool(f)).toBe(false);
    for (const x of ['yes', 'no', 'tRUE', '']) expect(parseGoBool(x)).toBeUndefined();
  });
});

describe('url', () => {
  test('https:// is prefixed when there is no scheme; userinfo and path are kept', () => {
    const u = parseTargetUrl('root:pass@vc.example.com/DC0')!;
    expect(u.protocol).toBe('https:');
    expect(u.username).toBe('root');
    expect(u.password).toBe('pass');
    expect(u.host).toBe('vc.example.com');
    expect(u.pathname).toBe('/DC0');
    expect(parseTargetUrl('127.0.0.1:18443')!.href).toBe('https://127.0.0.1:18443/');
    expect(parseTargetUrl('http://esx')!.protocol).toBe('http:');
  });

  test('bad URLs are rejected without echoing the password', () => {
    expect(parseTargetUrl('ftp://host')).toBeUndefined();
    expect(parseTargetUrl('https://')).toBeUndefined();
    const def = flag({ name: 'target', type: 'url', usage: '' });
    const e = errorOf(() => parseFlagValue(def, 'root:s3cret@bad host'));
    expect(e.message).toContain('--target');
    expect(e.message).not.toContain('s3cret');
    expect(e.message).toContain('root:<censored>@bad host');
  });

  test('censorUrlText', () => {
    expect(censorUrlText('https://u:p@h/x')).toBe('https://u:<censored>@h/x');
    expect(censorUrlText('u:p@ss@h')).toBe('u:<censored>@h');
    expect(censorUrlText('u@h')).toBe('u@h');
    expect(censorUrlText('h/a@b')).toBe('h/a@b');
  });
});

test('camelCase gives the option keys', () => {
  expect(camelCase('bridge-network-range')).toBe('bridgeNetworkRange');
  expect(camelCase('no-tlsverify')).toBe('noTlsverify');
  expect(camelCase('container-network-ip-range')).toBe('containerNetworkIpRange');
});
