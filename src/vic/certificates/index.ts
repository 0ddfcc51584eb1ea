/**
 * Certificates for VCHs: CA, server and client certificates, `cert.pfx`, file modes, the docker env file, and
 * vic-machine 1.5's `ProcessCertificates` decision. Importing this module does not load node-forge (it is loaded
 * on the first certificate build).
 */
export { CertificateError, CertificateInputError, type CertificateProblemCode } from './errors.js';
export {
  type CertificateOptions,
  type CnameNetwork,
  type NetworkAddress,
  type StaticIpCname,
  type TlsMode,
  certPathOf,
  pickStaticIpForCname,
} from './options.js';
export { DEFAULT_KEY_SIZE, MAX_KEY_SIZE, MIN_KEY_SIZE, generateRsaKeyPair, generateRsaKeyPairs, type RsaKeyPair } from './keys.js';
export {
  createCaCertificate,
  createClientCertificate,
  createPfx,
  createServerCertificate,
  randomSerialHex,
  type IssuedCertificate,
  type Issuer,
  type PfxOptions,
  type ValidityOptions,
} from './build.js';
export {
  caSubject,
  clientSubject,
  normaliseCname,
  organizationFor,
  serverAltNames,
  serverSubject,
  stripCidr,
  type SubjectAltNames,
  type SubjectFields,
} from './subject.js';
export {
  certificateMatchesKey,
  certificateTimeProblem,
  certificateValidFor,
  isIpAddress,
  issuedBy,
  parsePemContents,
  splitPem,
  subjectCommonNames,
  type PemContents,
} from './pem.js';
export { CERT_FILES, MAX_PEM_FILE_BYTES, readCertificateInputs, readPemFile, type CertPathState, type CertificateInputs, type FileState } from './inputs.js';
export {
  CNAME_HINTS,
  checkKeySize,
  displayPath,
  planCertificates,
  type CertificatePlan,
  type LoadedCa,
  type LoadedPair,
  type LogEntry,
  type LogLevel,
  type PlannedFile,
  type ServerGeneration,
} from './plan.js';
export {
  filesFor,
  generateCertificates,
  processCertificates,
  type CertificateResult,
  type GeneratedCertificates,
  type ProcessCertificatesOptions,
} from './process.js';
export {
  CERT_MODE,
  DIR_MODE,
  DOCKER_PLAIN_PORT,
  DOCKER_TLS_PORT,
  KEY_MODE,
  dockerCommand,
  dockerEnvironment,
  dockerHostPort,
  ensureCertDirectory,
  formatDockerEnvFile,
  formatDockerEnvLine,
  shellQuote,
  writeCertificateFiles,
  writeDockerEnvFile,
  type DockerEnvOptions,
  type FileToWrite,
} from './files.js';
