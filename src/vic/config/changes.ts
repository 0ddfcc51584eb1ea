// The one rule for writing a VCH's configuration over what its appliance VM holds (create's final reconfiguration,
// upgrade, configure): send only the entries whose value differs, and "" (which makes vSphere delete the key) for the
// configuration keys the new encoding no longer has. Keys that are not configuration (answer.msg.serial.file.open,
// UpdateInProgress, guestinfo.ovfEnv when the caller keeps it, vmotion.*, keys of a newer release) are left alone:
// the caller names them, usually as the decoder's `unknownKeys` of the current extraConfig.

/** key → new value ("" deletes the key) */
export function configurationChanges(current: Readonly<Record<string, string>>, next: Readonly<Record<string, string>>,
  notConfiguration: Readonly<Record<string, unknown>> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(next)) if (current[k] !== v) out[k] = v;
  for (const [k, v] of Object.entries(current)) if (!(k in next) && !(k in notConfiguration) && v !== '') out[k] = '';
  return out;
}
