import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteDiagnosisStore } from '../adapters/store-sqlite/diagnosis-store.js';
import { silentLogger } from '../ports/logger.js';
import { Redactor } from '../redact.js';
import type { FailedStep } from '../stages/diagnose/failed-step.js';
import { diagnoseFailure, settleDiagnosis, type StrategyChooser } from './diagnose-failure.js';
import { loadFailureKnowledge } from './diagnose-knowledge.js';

const SHA = 'c'.repeat(40);
const GOALS = path.join(import.meta.dirname, '../../goals');
const mountBusy: FailedStep = { step: 'activation', host: 'nas', action: 'switch', exitCode: 4, timedOut: false, output: 'warning: the following units failed: mnt-media.mount\n', failedUnits: [{ unit: 'mnt-media.mount', journal: ['mount.nfs: /mnt/media is busy or already mounted'] }] };
const oddUnit: FailedStep = { ...mountBusy, failedUnits: [{ unit: 'frigate.service', journal: ['frigate[77]: segmentation fault'] }] };
const policy = { label: 'needs-reboot' as const, rebootWindowOpen: true, rebootWindowText: 'at any time', hostReboot: 'auto' as const, quorumMember: false, quorumWhole: null, rebootsInFlight: [], maxWaitSeconds: 600 };

async function setup(chooser?: StrategyChooser) {
  const store = new SqliteDiagnosisStore({ file: ':memory:' });
  const knowledge = await loadFailureKnowledge({ goalsDir: GOALS, mainBranch: 'main' });
  return { store, deps: { store, knowledge, logger: silentLogger, redactor: new Redactor(), ...(chooser ? { chooser } : {}) } };
}

describe('diagnoseFailure', () => {
  it('maps a known signature through the knowledge, claims the one retry and records the decision', async () => {
    const { store, deps } = await setup();
    const d = await diagnoseFailure(deps, { runId: 1, sha: SHA, step: mountBusy, context: { pendingHosts: [], aliases: {} }, policy });
    expect(d).toMatchObject({ strategy: 'boot-and-reboot', decision: { signature: 'mount.remount-refused', chosenBy: 'knowledge', outcome: 'pending', knownSignature: true, source: 'goals/knowledge/failures/mount-remount-refused.md' } });
    expect(store.retriesUsed(SHA, 'host:nas')).toBe(1);
    settleDiagnosis(deps, d, SHA, 'verified', 'rebooted; verified');
    expect(store.diagnoses({ sha: SHA })[0]?.decision).toMatchObject({ outcome: 'verified', detail: 'rebooted; verified' });
    expect(store.knowledgeSuggestions()).toEqual([]);
  });

  it('never retries the same commit and target twice: the second failure rolls back and escalates', async () => {
    const { store, deps } = await setup();
    await diagnoseFailure(deps, { runId: 1, sha: SHA, step: mountBusy, context: { pendingHosts: [], aliases: {} }, policy });
    const again = await diagnoseFailure(deps, { runId: 2, sha: SHA, step: mountBusy, context: { pendingHosts: [], aliases: {} }, policy });
    expect(again).toMatchObject({ strategy: 'rollback-and-escalate', decision: { proposed: 'boot-and-reboot', outcome: 'escalated', refused: expect.stringContaining('at most one retry') } });
    expect(store.retriesUsed(SHA, 'host:nas')).toBe(1);
  });

  it("validates Claude Code's pick like any other: a forbidden one is refused and escalated", async () => {
    const chooser: StrategyChooser = { choose: async ({ proposal }) => ({ ok: true, choice: { ...proposal, strategy: 'boot-and-reboot', chosenBy: 'llm', why: 'reboot fixes it' } }) };
    const { store, deps } = await setup(chooser);
    const d = await diagnoseFailure(deps, { runId: 1, sha: SHA, step: mountBusy, context: { pendingHosts: [], aliases: {} }, policy: { ...policy, rebootWindowOpen: false, rebootWindowText: 'daily 02:00-04:00 (UTC)' } });
    expect(d).toMatchObject({ strategy: 'rollback-and-escalate', decision: { chosenBy: 'llm', proposed: 'boot-and-reboot', refused: 'outside the reboot window (daily 02:00-04:00 (UTC))', outcome: 'escalated' } });
    expect(store.retriesUsed(SHA, 'host:nas')).toBe(0);
  });

  it('learns from an unknown failure that a strategy resolved: a knowledge suggestion is recorded', async () => {
    const chooser: StrategyChooser = { choose: async ({ proposal }) => ({ ok: true, choice: { ...proposal, strategy: 'retry-after-wait', waitSeconds: 30, chosenBy: 'llm', why: 'the crash follows a late NFS mount' } }) };
    const { store, deps } = await setup(chooser);
    const d = await diagnoseFailure(deps, { runId: 1, sha: SHA, step: oddUnit, context: { pendingHosts: [], aliases: {} }, policy });
    expect(d).toMatchObject({ strategy: 'retry-after-wait', decision: { signature: 'switch.units-failed', knownSignature: false } });
    settleDiagnosis(deps, d, SHA, 'verified', 'retried after 30 s; verified');
    expect(store.knowledgeSuggestions()).toMatchObject([{ signature: 'repo.nas-activation', strategy: 'retry-after-wait' }]);
  });

  it('keeps the knowledge choice when Claude Code gives no answer', async () => {
    const { deps } = await setup({ choose: async () => ({ ok: false, reason: 'timeout' }) });
    expect((await diagnoseFailure(deps, { runId: 1, sha: SHA, step: mountBusy, context: { pendingHosts: [], aliases: {} }, policy })).decision).toMatchObject({ chosenBy: 'knowledge', strategy: 'boot-and-reboot' });
  });
});
