// Value types of a VCH specification, each parsed once at the edge (flag, YAML key, REST field) by ONE parser and
// written back by ONE formatter; one concept per file. Parsers throw InvalidValueError without a flag name: the edge
// that read the text names it.
export * from './value-error.js';
export * from './datastore-location.js';
export * from './volume-store.js';
export * from './ipv4.js';
export * from './ip-range.js';
export * from './gateway.js';
export * from './ip-address.js';
export * from './size.js';
export * from './shares.js';
export * from './duration.js';
