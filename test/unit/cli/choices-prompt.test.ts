// Which validation issues create asks about on a terminal, and how a choice lands in the request (src/cli/choices-prompt.ts).
import { describe, expect, test } from '@jest/globals';
import { applyChoice, questionsFor, withChoices } from '../../../src/cli/choices-prompt.js';
import { Output } from '../../../src/cli/output.js';
import type { CreateVchRequest } from '../../../src/vic/create/create-vch.js';
import type { ValidationIssue } from '../../../src/vic/validate/types.js';

const leftOutCompute: ValidationIssue = { code: 'compute-resource-required', flag: '--compute-resource', message: 'No unambiguous default compute resource available: --compute-resource must be specified', suggestions: ['C0', 'H0'] };
const leftOutImage: ValidationIssue = { code: 'datastore-required', flag: '--image-store', message: 'No unambiguous default datastore available: --image-store must be specified', suggestions: ['ds1', 'ds2'] };

function request(): CreateVchRequest {
  return {
    target: { url: new URL('https://vc.example.com'), user: 'u', password: 'p' },
    validate: { name: 'vch1', bridgeNetwork: 'vch1', publicNetwork: 'VM Network' },
    config: { createOptions: ['--target=https://vc.example.com', '--name=vch1'] },
  } as unknown as CreateVchRequest;
}

describe('questionsFor', () => {
  test('choices left out, with what exists; the "... and N more" marker is not a value', () => {
    const q = questionsFor([leftOutCompute, { ...leftOutImage, suggestions: ['ds1', '... and 3 more'] }], new Set());
    expect(q).toEqual([
      { flag: '--compute-resource', message: leftOutCompute.message, values: ['C0', 'H0'] },
      { flag: '--image-store', message: leftOutImage.message, values: ['ds1'] },
    ]);
  });

  test('nothing is asked when any issue is not a choice left out: a value given wrong, a firewall, no values', () => {
    expect(questionsFor([leftOutCompute, { code: 'compute-resource-ambiguous', flag: '--compute-resource', message: "path 'x' resolves to multiple compute resources", suggestions: ['a'] }], new Set())).toBeUndefined();
    expect(questionsFor([{ code: 'network-not-found', flag: '--bridge-network', message: "…: network 'typo' not found", suggestions: ['pg1'] }], new Set(['bridge-network']))).toBeUndefined();
    expect(questionsFor([leftOutCompute, { code: 'host-firewall-blocked', flag: '--compute-resource', message: 'Firewall configuration incorrect on hosts: h1' }], new Set())).toBeUndefined();
    expect(questionsFor([{ ...leftOutImage, suggestions: [] }], new Set())).toBeUndefined();
  });

  test('what is asked is decided by code and flag, never by the message text', () => {
    // the wording of a left-out choice may change: still asked
    expect(questionsFor([{ ...leftOutCompute, message: 'Pick a cluster' }], new Set())).toEqual([{ flag: '--compute-resource', message: 'Pick a cluster', values: ['C0', 'H0'] }]);
    // the words of a left-out choice under another code: not asked
    expect(questionsFor([{ ...leftOutCompute, code: 'compute-resource-not-found' }], new Set())).toBeUndefined();
    // the right code on a flag that is not asked for
    expect(questionsFor([{ ...leftOutImage, code: 'datastore-required', flag: '--volume-store' }], new Set())).toBeUndefined();
    // each askable flag with its code
    const pairs: Array<[string, ValidationIssue['code']]> = [['--target', 'datacenter-required'], ['--compute-resource', 'compute-resource-required'],
      ['--image-store', 'datastore-required'], ['--bridge-network', 'network-not-found'], ['--public-network', 'network-not-found']];
    for (const [flag, code] of pairs) expect(questionsFor([{ code, flag, message: 'm', suggestions: ['v'] }], new Set())).toEqual([{ flag, message: 'm', values: ['v'] }]);
    // an issue of an older caller, without a code: reported as it is
    expect(questionsFor([{ flag: '--compute-resource', message: leftOutCompute.message, suggestions: ['C0'] } as unknown as ValidationIssue], new Set())).toBeUndefined();
  });
});

describe('applyChoice', () => {
  test('sets the request and records the flag as if typed; a datacenter goes into --target', () => {
    const req = request();
    applyChoice(req, { flag: '--target', value: 'DC1' });
    applyChoice(req, { flag: '--image-store', value: 'ds2' });
    applyChoice(req, { flag: '--bridge-network', value: 'pg1' });
    expect(req.target.datacenterPath).toBe('/DC1');
    expect(req.validate.imageStore).toBe('ds2');
    expect(req.validate.bridgeNetwork).toBe('pg1');
    expect(req.config.createOptions).toEqual(['--target=https://vc.example.com/DC1', '--name=vch1', '--image-store=ds2', '--bridge-network=pg1']);
  });
});

describe('withChoices', () => {
  const out = () => new Output({ write: () => true }, { write: () => true }, { json: false, color: false });
  const failing = (issues: unknown[]) => Object.assign(new Error('validation'), { issues });

  test('asks, applies, and tries again until validation passes', async () => {
    const req = request();
    const asked: string[] = [];
    let attempts = 0;
    let retries = 0;
    const r = await withChoices(async () => {
      attempts++;
      if (!req.validate.computeResource) throw failing([leftOutCompute]);
      return `created in ${req.validate.computeResource}`;
    }, req, { out: out(), given: [], select: async (m, values) => { asked.push(m); return values[1]!; } }, async () => { retries++; });
    expect(r).toBe('created in H0');
    expect([attempts, retries, asked.length]).toEqual([2, 1, 1]);
  });

  test('any other error is passed on untouched, without asking', async () => {
    const e = failing([{ flag: '--image-store', message: "datastore 'x' not found", suggestions: ['ds1'] }]);
    await expect(withChoices(async () => { throw e; }, request(), { out: out(), given: [], select: async () => { throw new Error('asked'); } }, async () => undefined))
      .rejects.toBe(e);
  });
});
