// The run's log (src/cli/run-log.ts): what goes in, redacted; where it goes; written once, appended, private.
import { afterAll, describe, expect, test } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redactor } from '../../../src/cli/redact.js';
import { logFileFor, RunLog } from '../../../src/cli/run-log.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vicm-runlog-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('RunLog', () => {
  test('each line with a UTC time and its level, multi-line messages line by line, secrets redacted', () => {
    const log = new RunLog(new Redactor(['Sup3rSecret']), 'vic-machine 0.1.0 ls --password=<censored>');
    log.add('info', 'Validating target');
    log.add('debug', 'login body <password>Sup3rSecret</password>\nsecond line');
    log.add('warn', 'key -----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----');
    const lines = log.text().trimEnd().split('\n');
    for (const l of lines) expect(l).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (info |warn |debug) /);
    expect(lines[0]).toContain('ls --password=<censored>');
    expect(lines[2]).toMatch(/debug login body <password><redacted><\/password>$/);
    expect(lines[3]).toMatch(/debug second line$/);
    expect(log.text()).not.toContain('Sup3rSecret');
    expect(log.text()).not.toContain('MIIE');
  });

  test('appendTo writes the file 0600, and later only the lines added since; other runs\' lines are kept', () => {
    const file = path.join(dir, 'a.log');
    fs.writeFileSync(file, 'an earlier run\n', { mode: 0o600 });
    const log = new RunLog(new Redactor(), 'header');
    log.add('info', 'one');
    expect(log.appendTo(file)).toBe(true);
    log.add('error', 'two');
    expect(log.appendTo(file)).toBe(true);
    const text = fs.readFileSync(file, 'utf8').split('\n');
    expect(text[0]).toBe('an earlier run');
    expect(text.filter((l) => / one$/.test(l))).toHaveLength(1);
    expect(text.filter((l) => / two$/.test(l))).toHaveLength(1);
    const fresh = path.join(dir, 'b.log');
    new RunLog(new Redactor(), 'h').appendTo(fresh);
    expect(fs.statSync(fresh).mode & 0o777).toBe(0o600);
  });

  test('a log file that cannot be written does not fail the command', () => {
    const log = new RunLog(new Redactor(), 'h');
    expect(log.appendTo(path.join(dir, 'no-such-dir', 'x.log'))).toBe(false);
  });
});

describe('logFileFor', () => {
  test('./vic-machine.log as in 1.5; VIC_MACHINE_LOG_FILE relative to the working directory or absolute; "-" for none', () => {
    expect(logFileFor('/work', {})).toBe('/work/vic-machine.log');
    expect(logFileFor('/work', { VIC_MACHINE_LOG_FILE: 'logs/run.log' })).toBe('/work/logs/run.log');
    expect(logFileFor('/work', { VIC_MACHINE_LOG_FILE: '/var/log/vm.log' })).toBe('/var/log/vm.log');
    expect(logFileFor('/work', { VIC_MACHINE_LOG_FILE: '-' })).toBeUndefined();
  });
});
