/** Placeholder: the simulator test bed builds vcsim here once per run. */
export default async function globalSetup(): Promise<void> {}
