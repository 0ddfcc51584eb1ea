// Create-time validation (vic-machine 1.5 `Validator.Validate` and the dispatcher's existence checks), as a domain
// module over src/vim: resolve what the flags name, check everything, and report every problem together.
export { validateCreate, INVENTORY_PATHS, VCH_ID_KEY } from './validate.js';
export { checkInput } from './input.js';
export { normalizeInput } from './context.js';
export { formatIssue, formatIssues } from './format.js';
export {
  datastoreUrl, isRoutableGateway, parseFirewallLevel, firewallVerdict, ruleCoversPort, licenseFeatures, nameProblems, shellQuote,
  FIREWALL_LEVELS, SERIAL_OVER_LAN_PORT,
} from './parse.js';
export type { FirewallVerdict, FirewallInfoLike, FirewallRulesetLike, LicenseLike } from './parse.js';
export type * from './types.js';
