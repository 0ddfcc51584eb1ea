// `create` on a terminal with required choices left out (datacenter, compute resource, image store, bridge or public
// network): instead of failing with "Suggested values for --compute-resource", the admin picks one of the values that
// exist. What exists, and which choices are missing, is what create's own validation found: the prompt reuses its
// issues and their suggestions, so it offers exactly what validation would accept, and the inventory is read by the
// same batched reads as always. Nothing exists yet when validation fails (it runs before anything is created), so
// trying again with the choices is safe. Without a terminal this module is not even loaded.
import type { CommandContext } from './context.js';
import type { CreateVchRequest } from '../vic/create/create-vch.js';
import type { ValidationCode, ValidationIssue } from '../vic/validate/types.js';

/**
 * The flags a missing choice is asked for, and the problem codes that mean "left out, pick one" for each: decided by
 * what validation says the problem is (its code and flag), never by the wording of its message.
 */
const ASKABLE: Readonly<Record<string, readonly ValidationCode[]>> = {
  '--target': ['datacenter-required'],
  '--compute-resource': ['compute-resource-required'],
  '--image-store': ['datastore-required'],
  // --bridge-network defaults to the VCH's name, which on vCenter rarely names a port group
  '--bridge-network': ['network-not-found'],
  '--public-network': ['network-not-found'],
};

/** Rounds of asking: the datacenter must be known before its compute resources can be offered. */
const MAX_ROUNDS = 3;

export interface Choice {
  flag: string;
  value: string;
}

/**
 * The questions for a failed validation, or undefined when any issue is not a missing choice (a wrong value the
 * admin typed, a firewall, ...): then the error is reported as it is. `given` are the flags the admin set.
 */
export function questionsFor(issues: readonly ValidationIssue[], given: ReadonlySet<string>): Array<{ flag: string; message: string; values: string[] }> | undefined {
  const out: Array<{ flag: string; message: string; values: string[] }> = [];
  for (const i of issues) {
    const values = (i.suggestions ?? []).filter((s) => !/^\.\.\. and \d+ more$/.test(s));
    const leftOut = i.flag === '--target' || !given.has(i.flag.slice(2));
    if (!ASKABLE[i.flag]?.includes(i.code) || !leftOut || !values.length) return undefined;
    if (!out.some((q) => q.flag === i.flag)) out.push({ flag: i.flag, message: i.message, values });
  }
  return out.length ? out : undefined;
}

const WHAT: Record<string, string> = {
  '--target': 'Datacenter',
  '--compute-resource': 'Compute resource (--compute-resource)',
  '--image-store': 'Datastore for the images (--image-store)',
  '--bridge-network': 'Bridge network: a distributed port group for container traffic (--bridge-network)',
  '--public-network': 'Public network (--public-network)',
};

/** Sets a choice in the create request, and records it in the VCH's create options as if it had been typed. */
export function applyChoice(req: CreateVchRequest, c: Choice): void {
  const recorded = (req.config.createOptions ??= []);
  switch (c.flag) {
    case '--target': {
      req.target.datacenterPath = `/${c.value}`;
      const i = recorded.findIndex((r) => r.startsWith('--target='));
      if (i >= 0) recorded[i] = `--target=${req.target.url.origin}/${c.value}`;
      return;
    }
    case '--compute-resource': req.validate.computeResource = c.value; break;
    case '--image-store': req.validate.imageStore = c.value; break;
    case '--bridge-network': req.validate.bridgeNetwork = c.value; break;
    case '--public-network': req.validate.publicNetwork = c.value; break;
    default: throw new Error(`no choice for ${c.flag}`);
  }
  recorded.push(`${c.flag}=${c.value}`);
}

export interface ChoicesContext extends Pick<CommandContext, 'out' | 'given'> {
  /** one value out of a list (default: inquirer's select on stderr) */
  select?: (message: string, values: readonly string[]) => Promise<string>;
}

/**
 * Runs `attempt`; when it fails validation only for choices left out, asks for them and runs it again (after
 * `beforeRetry`, e.g. logging out the failed attempt's session). Every chosen flag is printed, so that the admin can
 * pass it next time.
 */
export async function withChoices<T>(attempt: () => Promise<T>, req: CreateVchRequest, ctx: ChoicesContext,
  beforeRetry: () => Promise<void>): Promise<T> {
  const given = new Set(ctx.given.map((g) => g.name));
  const select = ctx.select ?? (async (message: string, values: readonly string[]) =>
    (await import('./prompt.js')).promptSelect(message, values.map((v) => ({ name: v, value: v }))));
  for (let round = 1; ; round++) {
    try {
      return await attempt();
    } catch (e) {
      const issues = (e as { issues?: ValidationIssue[] }).issues;
      const questions = round <= MAX_ROUNDS && Array.isArray(issues) ? questionsFor(issues, given) : undefined;
      if (!questions) throw e;
      for (const q of questions) {
        ctx.out.info(q.message);
        const value = await select(WHAT[q.flag] ?? q.flag, q.values);
        const choice = { flag: q.flag, value };
        applyChoice(req, choice);
        ctx.out.info(q.flag === '--target' ? `Chosen: datacenter ${value} (next time: --target <host>/${value})` : `Chosen: ${q.flag}=${value}`);
      }
      await beforeRetry();
    }
  }
}
