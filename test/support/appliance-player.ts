// Plays a VCH's appliance, which cannot boot in the simulator, through the channel the real appliance uses: it reads
// the VCH configuration from the VM's extraConfig (unsealing the server key with guestinfo.ovfEnv, as the appliance
// does), serves the Docker API on its own loopback address with that certificate, and publishes the guest keys
// (each interface's address and mask, each component started).
import { ReconfigVM_Task } from '../../src/vim/methods.generated.js';
import { retrieveFromView } from '../../src/vim/property-collector.js';
import type { Session } from '../../src/vim/session.js';
import type { MoRef } from '../../src/vim/types.js';
import { runTask } from '../../src/vim/task.js';
import { decodeVchConfig, SecretKey } from '../../src/vic/config/index.js';
import { startDockerApiStandIn, type DockerApiStandIn } from './appliance-stand-in.js';

export interface PlayApplianceOptions {
  /** tlsverify: the Docker API requires a client certificate signed by the VCH's CA */
  requireClientCert: boolean;
  /** how long to wait for create to write the final configuration */
  timeoutMs?: number;
  /** stops waiting (rejects with "stopped"), e.g. when the create being played has already failed */
  signal?: AbortSignal;
}

export async function playAppliance(admin: Session, name: string, ip: string, opts: PlayApplianceOptions): Promise<DockerApiStandIn> {
  // Time-based: provisioning on a loaded 2-core CI machine can take a while before the final configuration lands.
  for (const deadline = Date.now() + (opts.timeoutMs ?? 90_000); Date.now() < deadline;) {
    if (opts.signal?.aborted) throw new Error(`stopped playing the appliance of ${name}: ${String(opts.signal.reason)}`);
    const vms = await retrieveFromView(admin, admin.content.rootFolder, ['VirtualMachine'], ['name', 'config.extraConfig']);
    const vm = vms.find((v) => v.props['name'] === name);
    const standIn = vm ? await playIfConfigured(admin, vm, ip, opts) : undefined;
    if (standIn) return standIn;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`VCH ${name} never got its final configuration`);
}

/**
 * Plays the appliance of one VM (read with name and config.extraConfig) once create has written its final
 * configuration: undefined before that. For callers that watch many VCHs with one inventory read (bench/).
 */
export async function playIfConfigured(admin: Session, vm: { ref: MoRef; props: Record<string, unknown> }, ip: string,
  opts: Pick<PlayApplianceOptions, 'requireClientCert'>): Promise<DockerApiStandIn | undefined> {
  const ipKey = (role: string) => `guestinfo.vice..init.networks|${role}.assigned.IP`;
  const ec = Object.fromEntries(((vm.props['config.extraConfig'] as { key: string; value: string }[]) ?? []).map((o) => [o.key, String(o.value)]));
  if (!String(ec['guestinfo.vice./init/common/id'] ?? '').startsWith('VirtualMachine:')) return undefined;
  const conf = decodeVchConfig(ec, SecretKey.fromString(ec['guestinfo.ovfEnv']!));
  const text = (b?: Uint8Array) => (b ? Buffer.from(b).toString('utf8') : undefined);
  const cert = conf.certificate.hostCertificate;
  const standIn = await startDockerApiStandIn({
    host: ip, port: cert?.cert ? 2376 : 2375, tls: !!cert?.cert,
    ...(cert?.cert ? { serverCertPem: text(cert.cert), serverKeyPem: text(cert.key) } : {}),
    ...(opts.requireClientCert ? { clientCaPem: text(conf.certificate.certificateAuthorities) } : {}),
  });
  const v4 = Buffer.concat([Buffer.alloc(10), Buffer.from([0xff, 0xff]), Buffer.from(ip.split('.').map(Number))]).toString('base64');
  // What the appliance publishes (as in the fixtures): each interface's address and mask, the bridge's too.
  const keys = [
    ...['client', 'public', 'management'].map((r) => ({ key: ipKey(r), value: v4 })),
    ...['client', 'public', 'management'].map((r) => ({ key: `guestinfo.vice..init.networks|${r}.assigned.Mask`, value: '/wAAAA==' })),
    { key: ipKey('bridge'), value: 'AAAAAAAAAAAAAP//rBAAAQ==' },
    { key: 'guestinfo.vice..init.networks|bridge.assigned.Mask', value: '//8AAA==' },
    ...['vicadmin', 'docker-personality', 'port-layer'].map((c) => ({ key: `guestinfo.vice..init.sessions|${c}.started`, value: 'true' })),
  ];
  // If publishing fails (the VM was rolled back meanwhile), the stand-in must not outlive the call.
  await runTask(admin, ReconfigVM_Task, { _this: vm.ref, spec: { extraConfig: keys } })
    .catch(async (e: unknown) => { await standIn.stop(); throw e; });
  return standIn;
}
