// A failing Nomad deployment in the simulator, diagnosed end to end: deployJob reverts it and
// hands over its allocations' failing checks. Its own health check refusing connections is not
// a dependency: rolled back and escalated. A task that waited on a missing Consul service is
// retried once through the deploy's own registration, and verified.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createConsulClient } from '../../src/adapters/consul-http/client.js';
import { createNomadClient } from '../../src/adapters/nomad-http/client.js';
import { SqliteDeployStore } from '../../src/adapters/store-sqlite/sqlite-store.js';
import { SqliteDiagnosisStore } from '../../src/adapters/store-sqlite/diagnosis-store.js';
import { executeStrategy } from '../../src/pipeline/diagnose-execute.js';
import { diagnoseFailure } from '../../src/pipeline/diagnose-failure.js';
import { loadFailureKnowledge } from '../../src/pipeline/diagnose-knowledge.js';
import { silentLogger } from '../../src/ports/logger.js';
import { Redactor } from '../../src/redact.js';
import { SCENARIO_JOBS } from '../../src/sim/scenarios.js';
import { startSimulator } from '../../src/sim/simulator.js';
import { noHooks, type DeployContext } from '../../src/stages/deploy/context.js';
import { deployJob } from '../../src/stages/deploy/deploy-job.js';

const SHA = '1'.repeat(40);
const GOALS = path.join(import.meta.dirname, '../../goals');
const open: Array<() => Promise<unknown> | void> = [];
afterEach(async () => {
  for (const close of open.splice(0).reverse()) await close();
});

async function setup() {
  const sim = await startSimulator({ scenario: 'failing-deployments', placeDelayMs: 50 });
  const nomad = createNomadClient({ address: sim.nomadUrl, retries: 0 });
  const consul = createConsulClient({ address: sim.consulUrl, retries: 0 });
  open.push(() => sim.close(), () => nomad.close(), () => consul.close());
  const store = new SqliteDeployStore({ file: ':memory:' });
  const ctx: DeployContext = { store, runId: store.startRun({ head: SHA, dryRun: false }), hooks: noHooks, logger: silentLogger, redactor: new Redactor(), settings: { confirmSeconds: 5, activationSeconds: 30, rebootTimeoutMs: 1000, quorumTimeoutMs: 1000, jobDeadlineMs: 60_000, blockingWaitMs: 2_000, pollMs: 50 }, now: () => new Date() };
  const hcl = SCENARIO_JOBS.postgres!.replace('16.4', '16.5');
  const deploy = async () => {
    const plan = await nomad.planJob(await nomad.parseJob(hcl));
    const target = { job: 'postgres', file: 'jobs/postgres.nomad.hcl', base: SHA, label: 'clean', change: {}, plan } as unknown as Parameters<typeof deployJob>[1];
    return deployJob({ ctx, nomad, consul, readFile: async () => hcl }, target, SHA);
  };
  return { deploy };
}

describe('a failing Nomad deployment, diagnosed', () => {
  const policy = { label: 'clean' as const, rebootWindowOpen: true, rebootWindowText: 'at any time', hostReboot: null, quorumMember: false, quorumWhole: true, rebootsInFlight: [], maxWaitSeconds: 600 };
  const knowledge = () => loadFailureKnowledge({ goalsDir: GOALS, mainBranch: 'main' });

  it('escalates a deployment whose own health check refuses connections (reverted, nothing redeployed)', async () => {
    const { deploy } = await setup();
    const first = await deploy();
    expect(first).toMatchObject({ failed: true, failure: { step: 'job-deployment', job: 'postgres', status: 'failed' } });
    expect(first.failure?.step === 'job-deployment' && first.failure.allocations.flatMap((a) => a.checks).join('\n')).toContain('connection refused');
    const store = new SqliteDiagnosisStore({ file: ':memory:' });
    const diagnosis = await diagnoseFailure({ store, knowledge: await knowledge(), logger: silentLogger, redactor: new Redactor() }, { runId: 1, sha: SHA, step: first.failure!, context: { pendingHosts: [], aliases: {} }, policy });
    expect(diagnosis).toMatchObject({ strategy: 'rollback-and-escalate', decision: { signature: 'nomad.deployment-failed', outcome: 'escalated' } });
    expect(store.retriesUsed(SHA, 'job:postgres')).toBe(0);
  }, 300_000);

  it('retries once a deployment whose tasks waited on a missing service, verifies it, and never retries the same commit twice', async () => {
    const { deploy } = await setup();
    const first = await deploy();
    if (first.failure?.step !== 'job-deployment') throw new Error('expected a failed deployment');
    // What Nomad reports for a template waiting on a Consul service (the simulator has no task events).
    const step = { ...first.failure, allocations: first.failure.allocations.map((a) => ({ ...a, events: ['Template: Missing: service.pgbouncer'] })) };
    const store = new SqliteDiagnosisStore({ file: ':memory:' });
    const deps = { store, knowledge: await knowledge(), logger: silentLogger, redactor: new Redactor() };
    const diagnosis = await diagnoseFailure(deps, { runId: 1, sha: SHA, step, context: { pendingHosts: [], aliases: {} }, policy });
    expect(diagnosis).toMatchObject({ strategy: 'retry-after-wait', decision: { signature: 'nomad.dependency-not-ready', chosenBy: 'knowledge' } });
    const waits: number[] = [];
    const decision = await executeStrategy(
      {
        store,
        logger: silentLogger,
        machinery: {
          wait: async (ms) => void waits.push(ms),
          redeploy: async () => {
            const again = await deploy();
            return { ok: !again.failed, detail: again.record.message };
          },
          bootAndReboot: async () => ({ ok: false, detail: 'not for a job' }),
          deployInOrder: async () => ({ ok: false, detail: 'not for a job' }),
        },
      },
      diagnosis,
      SHA,
    );
    expect(waits).toEqual([60_000]);
    expect(decision).toMatchObject({ outcome: 'verified', strategy: 'retry-after-wait', detail: expect.stringContaining('deployed and healthy') });
    const again = await diagnoseFailure(deps, { runId: 2, sha: SHA, step, context: { pendingHosts: [], aliases: {} }, policy });
    expect(again).toMatchObject({ strategy: 'rollback-and-escalate', decision: { outcome: 'escalated', refused: expect.stringContaining('at most one retry') } });
  }, 300_000);
});
