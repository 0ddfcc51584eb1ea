import { describe, expect, test } from '@jest/globals';
describe('smoke', () => { test('adds', () => { expect(1 + 1).toBe(2); }); });
