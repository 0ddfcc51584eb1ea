// The run's log, uploaded next to the appliance as vic-machine 1.5 does
// ([<datastore>] <vch folder>/vic-machine_<RFC 3339 UTC>_create_<operation id>.log), so that whoever looks at the VCH
// later finds how it was made. The text comes redacted from the CLI; a failed upload is a warning, never a failure.
import type { DatastoreFiles } from '../../vim/datastore-files.js';

/** vic-machine_<RFC 3339 UTC, seconds>_<operation>_<operation id>.log; the id is `<pid>.1` as in the original's names. */
export function datastoreLogName(operation: string, when = new Date(), operationId = `${process.pid}.1`): string {
  return `vic-machine_${when.toISOString().replace(/\.\d{3}Z$/, 'Z')}_${operation}_${operationId}.log`;
}

/** Uploads the log; resolves to its datastore path, or undefined (with the reason logged) when it could not. */
export async function uploadRunLog(files: DatastoreFiles, folder: string, text: string, warn: (m: string) => void,
  operation = 'create', when = new Date()): Promise<string | undefined> {
  const name = `${folder}/${datastoreLogName(operation, when)}`;
  try {
    await files.uploadBuffer(text, name, { attempts: 2 });
    return `[${files.ref.datastoreName}] ${name}`;
  } catch (e) {
    warn(`Could not upload the log of this run to [${files.ref.datastoreName}] ${name}: ${(e as Error).message}`);
    return undefined;
  }
}
