// `--public-network-gateway` (and client, management): a gateway address, optionally with the networks routed
// through it: `10.0.0.1`, or `10.1.0.0/16,10.2.0.0/16:10.0.0.1` (routing destinations, then the gateway).
//
// Blanks around "," and ":" are ignored, and nothing before the colon (`:10.0.0.1`) is no destination, as 1.5's
// parseGatewaySpec reads it. A destination is stored as its network (net.ParseCIDR's IPNet), so `10.1.0.7/16` and
// `10.1.0.0/16` are the same destination. Canonical text: `[network/prefix,...:]gateway`.
import { formatIpv4, formatIpv4Cidr, networkOf, parseIpv4, parseIpv4Cidr, type Ipv4, type Ipv4Cidr } from './ipv4.js';
import { InvalidValueError } from './value-error.js';

export interface Gateway {
  readonly address: Ipv4;
  /** networks routed through the gateway (network addresses); none: it is the default route */
  readonly destinations: readonly Ipv4Cidr[];
}

const GATEWAY_EXAMPLE = 'a gateway address such as 10.0.0.1, or routing destinations and the gateway such as 10.1.0.0/16,10.2.0.0/16:10.0.0.1';

export function parseGateway(text: string): Gateway {
  const parts = text.split(':');
  if (parts.length > 2) throw new InvalidValueError(`gateway ${text} specified incorrectly`, GATEWAY_EXAMPLE);
  const gw = parts[parts.length - 1]!;
  let address: Ipv4;
  try {
    address = parseIpv4(gw);
  } catch {
    throw new InvalidValueError(`"${gw.trim()}" in "${text}" is not a gateway IP address`, GATEWAY_EXAMPLE);
  }
  const destinations: Ipv4Cidr[] = [];
  if (parts.length === 2 && parts[0]!.trim() !== '') {
    for (const d of parts[0]!.split(',')) {
      try {
        destinations.push(networkOf(parseIpv4Cidr(d)));
      } catch {
        throw new InvalidValueError(`routing destination "${d.trim()}" in "${text}" is not a CIDR`, GATEWAY_EXAMPLE);
      }
    }
  }
  return { address, destinations };
}

export function formatGateway(g: Gateway): string {
  return gatewayText(formatIpv4(g.address), g.destinations.map(formatIpv4Cidr));
}

/**
 * The text of a gateway held as the text of its parts, as a VCH specification holds it (src/vic/spec/vch-spec.ts
 * GatewaySpec): the canonical text when the parts are canonical.
 */
export function gatewayText(address: string, destinations: readonly string[]): string {
  return destinations.length ? `${destinations.join(',')}:${address}` : address;
}
