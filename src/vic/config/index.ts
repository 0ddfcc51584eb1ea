// VIC 1.5 configuration model and its extraConfig encoding (see docs/extraconfig.md).

export * from './model.js';
export {
  encodeVchConfig, decodeVchConfig, decodeVchConfigDetailed, newVchConfig, newSessionConfig, newContainerNetwork,
  newNetworkEndpoint, newCommon, configKey, escapeNil, unescapeNil,
  NIL_VALUE, APPLIANCE_EXTRA_CONFIG,
  type EncodeVchOptions, type DecodeVchOptions, type DecodedVch,
} from './vch.js';
export { configurationChanges } from './changes.js';
export { SecretKey, secretKeyFromVmx, GUESTINFO_SECRET_KEY, type RandomBytes } from './secret.js';
export type { UrlFieldSet, DataSink, DataSource } from './codec.js';
export { encodeRoot, decodeRoot, zeroStruct, base64Encode, base64Decode } from './codec.js';
export * as descriptors from './descriptors.js';
export {
  calculateKey, calculateKeyFromField, calculateScope, calculateScopeFromKey, appendToPrefix, isSecretKey,
  isNonPersistentKey, scopeOfKey, Scope, VICE_PREFIX, SEPARATOR,
} from './keys.js';
export {
  buildVchConfig, containerNetworkFromInput, assignNicSlots, applianceNics, dockerApiPort, normalizeNoProxy, normalizeProxy,
  parseSyslogAddress, storedTarget,
  DEFAULT_BRIDGE_NETWORK_RANGE, DEFAULT_BRIDGE_NETWORK_WIDTH, DEFAULT_BASE_IMAGE_SIZE, DOCKER_TLS_PORT, DOCKER_HTTP_PORT,
  PORT_LAYER_PORT, PCI_SLOT_BEGIN, PCI_SLOT_INC,
  type VchCreateInput, type ApplianceNetworkInput, type BridgeNetworkInput, type ContainerNetworkInput,
} from './create.js';
export { storedRegistryLists, parseRegistryEntry, registryEntryString, registryEntryMatch } from './registries.js';
export {
  ENVIRONMENT_DEPENDENT, environmentDependence, isEnvironmentDependent, compareExtraConfig,
  type EnvironmentDependentKey, type EnvironmentDependenceKind, type ExtraConfigComparison,
} from './environment.js';
export {
  parseIP, parseCIDR, ipString, ipTo4, ipv4, cidrMask, maskSize, ipNetString, ipNetContains, isUnspecifiedIP,
  parseGoURL, goURLString, toGoURL, goURL, urlHostname, urlPort,
} from './goutil.js';
