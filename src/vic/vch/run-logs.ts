// The logs of the vic-machine runs on a VCH: create (and 1.5's other commands) upload theirs next to the appliance
// as vic-machine_<time>_<operation>_<id>.log (src/vic/create/upload-log.ts); read back here in time order and
// joined, as vic-machine-server 1.5's /log answered. Round trips: the VM's path, the datastore browser, the search,
// one download per log.
import path from 'node:path';
import type { Session } from '../../vim/session.js';
import { DatastoreFiles, parseDatastorePath } from '../../vim/datastore-files.js';
import { retrieveOne } from '../../vim/property-collector.js';
import { VchError } from './errors.js';
import { placementOf, type Scope, type VchRecord } from './find.js';

export const RUN_LOG = /^vic-machine_.*\.log$/;

export async function readRunLogs(session: Session, scope: Scope, vch: VchRecord): Promise<{ files: string[]; text: string }> {
  const props = await retrieveOne<{ 'config.files.vmPathName'?: string }>(session, vch.ref, ['config.files.vmPathName']);
  const where = parseDatastorePath(props['config.files.vmPathName'] ?? '');
  if (!where) throw new VchError('not-found', `Unable to retrieve VCH datastore information for ${vch.id}`);
  const { dc, datastores } = placementOf(scope, vch);
  const ds = datastores.get(where.datastore);
  if (!ds) throw new VchError('not-found', `Datastore folder not found for VCH ${vch.id}: no datastore "${where.datastore}" in ${dc.path}`);
  const files = new DatastoreFiles(session, { datacenterPath: dc.path.replace(/^\//, ''), datacenter: dc.ref, datastoreName: where.datastore, datastore: ds });
  const folder = path.posix.dirname(where.path);
  const names = (await files.list(folder)).map((f) => f.path).filter((n) => RUN_LOG.test(n)).sort();
  if (!names.length) throw new VchError('not-found', 'No log file available in datastore folder');
  const texts = await Promise.all(names.map((n) => files.read(`${folder}/${n}`)));
  return { files: names.map((n) => `[${where.datastore}] ${folder}/${n}`), text: texts.map((b) => b.toString('utf8')).join('') };
}
