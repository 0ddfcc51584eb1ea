import { expect, test } from '@jest/globals';
import { renderTemplate, renderTemplateFile } from '../../../src/cli/template.js';

test('values replace {{name}}; an optional block is kept only when its value is set; a missing value is an error', () => {
  expect(renderTemplate('a {{x}}\n{{#y}}\ny={{y}}\n{{/y}}\nz', { x: '1', y: '2' })).toBe('a 1\ny=2\nz');
  expect(renderTemplate('a {{x}}\n{{#y}}\ny={{y}}\n{{/y}}\nz', { x: '1' })).toBe('a 1\nz');
  expect(() => renderTemplate('{{nope}}', {})).toThrow(/"nope" is missing/);
});

test('the create summary carries the original\'s lines', () => {
  const t = renderTemplateFile('create-summary.txt', {
    id: 'vm-73', adminPortal: 'https://10.0.0.5:2378', publishedPortsAddress: '10.0.0.5', managementAddress: '10.0.0.5',
    dockerEnvLine: 'DOCKER_HOST=10.0.0.5:2376', envFile: 'vch1/vch1.env', dockerCommand: 'docker -H 10.0.0.5:2376 --tls info',
  });
  expect(t).toContain('VCH ID: vm-73\n');
  expect(t).toContain('Environment saved in vch1/vch1.env\n');
  expect(t.trimEnd().endsWith('Installer completed successfully')).toBe(true);
});
