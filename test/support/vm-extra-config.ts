// A VM's extraConfig as a map, read through an administrator's session: what the parity suites compare key by key.
import type { Session } from '../../src/vim/session.js';
import { retrieveFromView } from '../../src/vim/property-collector.js';

/** The extraConfig of the VM named `name` (the simulator's own `govcsim` mark left out); throws when there is none. */
export async function vmExtraConfig(admin: Session, name: string): Promise<Record<string, string>> {
  const vms = await retrieveFromView(admin, admin.content.rootFolder, ['VirtualMachine'], ['name', 'config.extraConfig']);
  const vm = vms.find((v) => v.props['name'] === name);
  if (!vm) throw new Error(`no VM ${name}`);
  return Object.fromEntries((vm.props['config.extraConfig'] as { key: string; value: string }[])
    .map((o) => [o.key, String(o.value)]).filter(([k]) => k !== 'govcsim'));
}
