// Types of build.mjs for the TypeScript test support code.
export declare const root: string;
export declare const GOPATH: string;
export declare const govmomiDir: string;
export declare const cacheDir: string;
export declare const binaryPath: string;
export declare const BUILT_BINARY_ENV: string;
export declare const TMP_PREFIX: string;
export declare function findGo(): string | undefined;
export declare class VcsimBuildError extends Error {}
export declare function buildVcsim(opts?: { log?: (line: string) => void }): string;
