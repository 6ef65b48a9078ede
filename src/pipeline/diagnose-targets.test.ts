import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteDiagnosisStore } from '../adapters/store-sqlite/diagnosis-store.js';
import { silentLogger } from '../ports/logger.js';
import { Redactor } from '../redact.js';
import { loadFailureKnowledge } from './diagnose-knowledge.js';
import { recheckInvariants, recoverJob } from './diagnose-targets.js';

const SHA = '3'.repeat(40);
const GOALS = path.join(import.meta.dirname, '../../goals');

async function deps() {
  const waits: number[] = [];
  const diagnose = { store: new SqliteDiagnosisStore({ file: ':memory:' }), knowledge: await loadFailureKnowledge({ goalsDir: GOALS, mainBranch: 'main' }), logger: silentLogger, redactor: new Redactor() };
  return { waits, deps: { diagnose, runId: 1, wait: async (ms: number) => void waits.push(ms) } };
}

describe('recheckInvariants', () => {
  it('checks an invariant that was not answering yet once more after the wait, and stands verified', async () => {
    const { deps: d, waits } = await deps();
    const broken = [{ name: 'invariant: grafana', ok: false, detail: 'GET http://127.0.0.1:3000/: 503 (expected 200)' }];
    const result = await recheckInvariants(d, { sha: SHA, label: 'clean', broken, rerun: async () => [{ name: 'invariant: grafana', ok: true, detail: 'GET http://127.0.0.1:3000/: 200' }] });
    expect(waits).toEqual([60_000]);
    expect(result).toMatchObject({ strategy: 'retry-after-wait', decision: { signature: 'invariant.not-ready', outcome: 'verified', detail: 'every invariant holds now' }, checks: [{ ok: true }] });
  });

  it('escalates an invariant that fails otherwise, without checking again', async () => {
    const { deps: d, waits } = await deps();
    let reruns = 0;
    const result = await recheckInvariants(d, { sha: SHA, label: 'clean', broken: [{ name: 'invariant: nfs', ok: false, detail: 'exit 1: /mnt/media is not a mountpoint' }], rerun: async () => (reruns++, []) });
    expect(result).toMatchObject({ strategy: 'rollback-and-escalate', checks: null, decision: { signature: 'invariant.failed', outcome: 'escalated' } });
    expect([waits, reruns]).toEqual([[], 0]);
  });

  it('does not retry a risky change even when the invariant was only slow', async () => {
    const { deps: d } = await deps();
    const result = await recheckInvariants(d, { sha: SHA, label: 'risky', broken: [{ name: 'invariant: web', ok: false, detail: 'connect ECONNREFUSED 10.0.0.5:80' }], rerun: async () => [] });
    expect(result.decision).toMatchObject({ strategy: 'rollback-and-escalate', refused: expect.stringContaining('risky') });
  });
});

describe('recoverJob', () => {
  it('retries a job whose image cannot be pulled never; escalates it', async () => {
    const { deps: d } = await deps();
    const record = { kind: 'job' as const, name: 'web', result: 'rolled-back' as const, action: 'register' as const, from: '3', to: '4', message: 'deployment failed', pendingReboot: false, verification: [], durationMs: 1 };
    const failure = { step: 'job-deployment' as const, job: 'web', status: 'failed', description: 'Failed due to unhealthy allocations', allocations: [{ name: 'web.web[0]', id: 'x', node: 'client-1', clientStatus: 'failed', healthy: false, events: ['Driver Failure: failed to pull image ghcr.io/acme/web:9: manifest unknown'], checks: [] }] };
    let redeploys = 0;
    const result = await recoverJob(d, { sha: SHA, label: 'clean', job: 'web', outcome: { record, failed: true, bad: true, failure }, redeploy: async () => (redeploys++, { record, failed: true, bad: true }) });
    expect(result.decision).toMatchObject({ signature: 'nomad.image-pull-failed', strategy: 'rollback-and-escalate', outcome: 'escalated' });
    expect(redeploys).toBe(0);
  });
});
