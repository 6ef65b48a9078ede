import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteDiagnosisStore } from '../adapters/store-sqlite/diagnosis-store.js';
import { silentLogger } from '../ports/logger.js';
import { Redactor } from '../redact.js';
import type { FailedStep } from '../stages/diagnose/failed-step.js';
import { executeStrategy, type StrategyMachinery } from './diagnose-execute.js';
import { diagnoseFailure } from './diagnose-failure.js';
import { loadFailureKnowledge } from './diagnose-knowledge.js';

const SHA = 'e'.repeat(40);
const GOALS = path.join(import.meta.dirname, '../../goals');
const policy = { label: 'clean' as const, rebootWindowOpen: true, rebootWindowText: 'at any time', hostReboot: 'auto' as const, quorumMember: false, quorumWhole: null, rebootsInFlight: [], maxWaitSeconds: 600 };
const unit = (host: string, unitName: string, line: string): FailedStep => ({ step: 'activation', host, action: 'switch', exitCode: 4, timedOut: false, output: '', failedUnits: [{ unit: unitName, journal: [line] }] });

function machinery(results: Partial<Record<'boot' | 'redeploy' | 'order', boolean>> = {}) {
  const calls: string[] = [];
  const m: StrategyMachinery = {
    bootAndReboot: async (host) => (calls.push(`boot ${host}`), { ok: results.boot ?? true, detail: `${host} booted the new generation; verified` }),
    redeploy: async (t) => (calls.push(`redeploy ${t.kind} ${t.name}`), { ok: results.redeploy ?? true, detail: 'deployed again; verified' }),
    deployInOrder: async (hosts) => (calls.push(`order ${hosts.join(',')}`), { ok: results.order ?? true, detail: 'deployed in order; verified' }),
    wait: async (ms) => void calls.push(`wait ${ms}`),
  };
  return { m, calls };
}

async function run(step: FailedStep, results: Parameters<typeof machinery>[0] = {}, pendingHosts: string[] = []) {
  const store = new SqliteDiagnosisStore({ file: ':memory:' });
  const knowledge = await loadFailureKnowledge({ goalsDir: GOALS, mainBranch: 'main' });
  const deps = { store, knowledge, logger: silentLogger, redactor: new Redactor() };
  const diagnosis = await diagnoseFailure(deps, { runId: 1, sha: SHA, step, context: { pendingHosts, aliases: { nas: ['nas.home.arpa'] } }, policy });
  const { m, calls } = machinery(results);
  const decision = await executeStrategy({ machinery: m, store, logger: silentLogger }, diagnosis, SHA);
  return { decision, calls, store };
}

describe('executeStrategy', () => {
  it('boots and reboots a host whose mount refused a live remount, and records it verified', async () => {
    const { decision, calls, store } = await run(unit('nas', 'mnt-media.mount', 'umount: /mnt/media: target is busy.'));
    expect(calls).toEqual(['boot nas']);
    expect(decision).toMatchObject({ strategy: 'boot-and-reboot', outcome: 'verified', detail: 'nas booted the new generation; verified' });
    expect(store.diagnoses({ sha: SHA })[0]?.decision.outcome).toBe('verified');
  });

  it('waits the knowledge\'s time, then deploys the same commit once more', async () => {
    const { calls, decision } = await run(unit('node2', 'vaultwarden.service', 'Error connecting to database: Connection refused'));
    expect(calls).toEqual(['wait 60000', 'redeploy host node2']);
    expect(decision.outcome).toBe('verified');
  });

  it('deploys the host the failure depends on first', async () => {
    const { calls } = await run(unit('node2', 'immich.service', 'connect ECONNREFUSED nas.home.arpa:2049'), {}, ['node3', 'nas']);
    expect(calls).toEqual(['order nas,node2']);
  });

  it('runs nothing for rollback-and-escalate, and records a strategy that did not resolve it as failed', async () => {
    expect((await run(unit('node1', 'frigate.service', 'segmentation fault'))).calls).toEqual([]);
    const failed = await run(unit('nas', 'mnt-media.mount', 'umount: /mnt/media: target is busy.'), { boot: false });
    expect(failed.decision).toMatchObject({ outcome: 'failed', detail: expect.stringContaining('boot-and-reboot did not resolve it') });
  });
});
