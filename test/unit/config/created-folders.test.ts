// The record of the folders create made above its volume stores: what it writes reads back; what it did not write
// (another tool's value, a path climbing out with "..", a hand-edited entry) is not acted on.
import { expect, test } from '@jest/globals';
import { CREATED_FOLDERS_KEY, decodeCreatedFolders, encodeCreatedFolders } from '../../../src/vic/config/created-folders.js';

test('round trip, with blanks, commas and brackets in names', () => {
  const folders = [{ datastore: 'LocalDS_0', path: 'test-volumes' }, { datastore: 'ds, [two]', path: 'team vols/a,b/c' }];
  const ec = encodeCreatedFolders(folders);
  expect(ec[CREATED_FOLDERS_KEY]).toBe('ds://LocalDS_0/test-volumes,ds://ds%2C%20%5Btwo%5D/team%20vols/a%2Cb/c');
  expect(ec[CREATED_FOLDERS_KEY]).not.toMatch(/["[\]<>&]/);
  expect(decodeCreatedFolders(ec)).toEqual(folders);
  expect(encodeCreatedFolders([])).toEqual({});
});

test('anything else is ignored', () => {
  for (const v of ['', 'nope', '["[LocalDS_0] x"]', 'ds://LocalDS_0/../etc', 'ds://LocalDS_0/a/%2E%2E/b', 'ds://LocalDS_0/', 'ds://LocalDS_0/%E0%A4%A', 'nfs://h/x']) {
    expect(decodeCreatedFolders({ [CREATED_FOLDERS_KEY]: v })).toEqual([]);
  }
  expect(decodeCreatedFolders({})).toEqual([]);
  expect(decodeCreatedFolders({ [CREATED_FOLDERS_KEY]: 'junk,ds://LocalDS_0/ok' })).toEqual([{ datastore: 'LocalDS_0', path: 'ok' }]);
});
