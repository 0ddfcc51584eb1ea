// POST /target/{target}[/datacenter/{datacenter}]/vch: `vic-machine create` from the VCH model. The body is read into
// the one VCH specification (src/vic/spec/vch-model.ts: every bad field at once, with its JSON path) and turned into
// create's request by the same function the CLI uses (src/vic/create/request.ts); what the server adds is how this run
// goes (create-input.ts): the ISOs it offers, a private working folder (certificates given as PEM are written there
// for create to read; the certificates create generates are written there too, and the folder is removed when the
// run ends: no private key outlives the request or appears in an answer), and its own login (a clone of the caller's
// session).
// Answered as 1.5 answered: 201 once the VCH is made and powered on (the task goes on waiting for the appliance), or
// with Prefer: respond-async once the body is valid. Cancelling the task rolls back as Ctrl-C does in the CLI.
// With ?dry_run=true (an extension) nothing is made: the plan is answered (vch-plan.ts).
import { createVch } from '../../vic/create/create-vch.js';
import { runOperation } from '../operation.js';
import type { Route } from '../router.js';
import { targetOf } from '../vsphere-target.js';
import { createInputOf, withCreateRequest } from './create-input.js';
import { dryRunAsked, planReply } from './vch-plan.js';

export function createRoute(prefix: string): Route {
  return {
    method: 'POST', path: `${prefix}/vch`, handler: async (ctx) => {
      const t = targetOf(ctx);
      const dryRun = dryRunAsked(ctx);
      const input = await createInputOf(ctx);
      if (dryRun) return planReply(ctx, t, input);
      return runOperation(ctx, t, {
        operation: 'create', vch: { name: input.spec.name }, status: 201,
        run: async (session, task, validated, answer) => {
          // create logs in on its own (as the CLI, which logs it out when the command ends): logged out here
          let own: { logout(): Promise<void> } | undefined;
          try {
            return await withCreateRequest(t, session, input, { login: true }, async (request) => {
              validated();
              const r = await createVch(request, {
                log: (level, m) => (level === 'warn' ? task.warn(m) : level === 'info' ? task.info(m) : undefined),
                runLog: () => task.lines.map((l) => `${l}\n`).join(''),
                onPoweredOn: (vm) => { task.vch = vm; answer(); },
                onSession: (s) => { own = s; },
                signal: task.signal,
              });
              return {
                id: r.id, name: r.name, docker_host: r.dockerHost, admin_portal: r.adminPortal,
                docker_environment: Object.fromEntries(r.dockerEnv.filter(([k]) => k !== 'DOCKER_CERT_PATH')),
              };
            });
          } finally {
            await own?.logout();
          }
        },
      });
    },
  };
}
