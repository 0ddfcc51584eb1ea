// The extraConfig entries a configure writes (reference §5.3 step 12, "reconfigure extraConfig"): the new
// configuration encoded under a NEW secret key (as the original does on every encode), keeping the url.URL field set
// the VCH was written with; only entries whose value differs are sent, and configuration keys that the new
// configuration no longer has are blanked (an empty value deletes a key). Entries that are not configuration
// (UpdateInProgress, answer.msg.serial.file.open, vmotion.*, ...) are left alone.
import { configurationChanges, encodeVchConfig, type DecodedVch, type VirtualContainerHostConfigSpec } from '../config/index.js';

export interface ExtraConfigUpdate {
  /** key → new value ("" deletes) */
  entries: Record<string, string>;
  /** the whole new encoding (what the VM has once the entries are applied), for verification */
  encoded: Record<string, string>;
}

export function extraConfigUpdate(current: Readonly<Record<string, string>>, decoded: Pick<DecodedVch, 'unknownKeys' | 'urlFieldSet'>,
  next: VirtualContainerHostConfigSpec): ExtraConfigUpdate {
  const encoded = encodeVchConfig(next, { urlFieldSet: decoded.urlFieldSet });
  return { entries: configurationChanges(current, encoded, decoded.unknownKeys), encoded };
}

/** ReconfigVM_Task's extraConfig option values. */
export function optionValues(entries: Readonly<Record<string, string>>): Array<{ key: string; value: string }> {
  return Object.entries(entries).map(([key, value]) => ({ key, value }));
}
