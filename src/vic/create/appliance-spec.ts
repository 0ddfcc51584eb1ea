// The appliance VM's configuration, as vic-machine 1.5 builds it (§2.4 of the reference): guest id, CPUs and
// memory, a pvscsi controller, one vmxnet3 NIC per distinct port group at PCI slot 1184 + 32·n (roles on one port
// group share a NIC), a serial port logging to tether.debug in the VM's folder, and later a CD-ROM backed by the
// uploaded appliance ISO on the first IDE controller.
import type { DataObject, MoRef } from '../../vim/types.js';

export const PCI_SLOT_BEGIN = 1184;
export const PCI_SLOT_STEP = 32;

export type NetworkRole = 'public' | 'client' | 'management' | 'bridge';

/** A port group as the NIC backing needs it. */
export interface PortGroup {
  ref: MoRef;
  name: string;
  /** for distributed port groups: the port group key and its switch's uuid */
  dvs?: { portgroupKey: string; switchUuid: string };
  /** for opaque networks */
  opaque?: { id: string; type: string };
}

export interface NicPlan {
  portGroup: PortGroup;
  roles: NetworkRole[];
  pciSlot: number;
}

/**
 * One NIC per distinct port group, in role order public, client, management, bridge (the original's order), so
 * that PCI slots are stable. Returns the NICs and, for each role, the slot of its NIC.
 */
export function planNics(roles: Partial<Record<NetworkRole, PortGroup>>): NicPlan[] {
  const nics: NicPlan[] = [];
  for (const role of ['public', 'client', 'management', 'bridge'] as const) {
    const pg = roles[role];
    if (!pg) continue;
    const existing = nics.find((n) => n.portGroup.ref.value === pg.ref.value);
    if (existing) existing.roles.push(role);
    else nics.push({ portGroup: pg, roles: [role], pciSlot: PCI_SLOT_BEGIN + PCI_SLOT_STEP * nics.length });
  }
  return nics;
}

function nicBacking(pg: PortGroup): DataObject {
  if (pg.dvs) {
    return {
      _type: 'VirtualEthernetCardDistributedVirtualPortBackingInfo',
      port: { switchUuid: pg.dvs.switchUuid, portgroupKey: pg.dvs.portgroupKey },
    };
  }
  if (pg.opaque) {
    return { _type: 'VirtualEthernetCardOpaqueNetworkBackingInfo', opaqueNetworkId: pg.opaque.id, opaqueNetworkType: pg.opaque.type };
  }
  return { _type: 'VirtualEthernetCardNetworkBackingInfo', deviceName: pg.name, network: pg.ref };
}

export interface ApplianceSpecInput {
  name: string;
  /** datastore that holds the VM's folder */
  datastoreName: string;
  /** the folder vSphere will create for the VM (the VM's name on VMFS) */
  folderName: string;
  cpus: number;
  memoryMB: number;
  nics: NicPlan[];
  extraConfig: Record<string, string>;
  /** "Photon - VCH v1.5.8, 1, 9489f63" */
  alternateGuestName: string;
}

function toOptionValues(ec: Record<string, string>): DataObject[] {
  return Object.entries(ec).map(([key, value]) => ({ key, value }));
}

/** The VirtualMachineConfigSpec for CreateVM_Task. */
export function createVmSpec(i: ApplianceSpecInput): DataObject {
  const deviceChange: DataObject[] = [
    { operation: 'add', device: { _type: 'ParaVirtualSCSIController', key: -100, busNumber: 0, sharedBus: 'noSharing' } },
    ...i.nics.map((n, idx): DataObject => ({
      operation: 'add',
      device: {
        _type: 'VirtualVmxnet3', key: -200 - idx, backing: nicBacking(n.portGroup),
        connectable: { startConnected: true, allowGuestControl: true, connected: true },
        slotInfo: { _type: 'VirtualDevicePciBusSlotInfo', pciSlotNumber: n.pciSlot },
        addressType: 'generated',
      },
    })),
    {
      operation: 'add',
      device: {
        _type: 'VirtualSerialPort', key: -300,
        backing: { _type: 'VirtualSerialPortFileBackingInfo', fileName: `[${i.datastoreName}] ${i.folderName}/tether.debug` },
        connectable: { startConnected: true, allowGuestControl: true, connected: true },
        yieldOnPoll: true,
      },
    },
  ];
  return {
    name: i.name,
    guestId: 'otherGuest64',
    alternateGuestName: i.alternateGuestName,
    files: { vmPathName: `[${i.datastoreName}]` },
    numCPUs: i.cpus,
    memoryMB: i.memoryMB,
    deviceChange,
    extraConfig: toOptionValues({ ...i.extraConfig, 'answer.msg.serial.file.open': 'Append' }),
  };
}

/** The reconfiguration after the ISOs are uploaded: the CD-ROM, and the configuration that names the VM. */
export function finalizeVmSpec(o: {
  ideControllerKey: number; isoPath: string; extraConfigChanges: Record<string, string>;
}): DataObject {
  return {
    deviceChange: [{
      operation: 'add',
      device: {
        _type: 'VirtualCdrom', key: -400, controllerKey: o.ideControllerKey, unitNumber: 0,
        backing: { _type: 'VirtualCdromIsoBackingInfo', fileName: o.isoPath },
        connectable: { startConnected: true, allowGuestControl: true, connected: true },
      },
    }],
    extraConfig: toOptionValues(o.extraConfigChanges),
  };
}

