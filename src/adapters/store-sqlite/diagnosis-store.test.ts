import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DiagnosisDecision } from '../../model/deploy-failure.js';
import { SqliteDiagnosisStore } from './diagnosis-store.js';
import { SqliteDeployStore } from './sqlite-store.js';

const SHA = 'a'.repeat(40);
const decision: DiagnosisDecision = {
  failure: { signature: 'mount.remount-refused', step: 'activation', target: { kind: 'host', name: 'nas' }, summary: 'units failed on nas', evidence: [{ host: 'nas', unit: 'mnt-media.mount', signal: 'journal', detail: 'mount.nfs: /mnt/media is busy or already mounted' }], dependsOn: [] },
  signature: 'mount.remount-refused',
  proposed: 'boot-and-reboot',
  chosenBy: 'knowledge',
  why: 'fresh mount at boot',
  source: 'goals/knowledge/failures/mount-remount-refused.md',
  knownSignature: true,
  strategy: 'boot-and-reboot',
  outcome: 'pending',
  detail: '',
};

describe('SqliteDiagnosisStore', () => {
  it('claims one retry per commit and target, across connections to the same state file', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'steward-diagnosis-'));
    try {
      const file = path.join(dir, 'state.db');
      const deploy = new SqliteDeployStore({ file });
      const a = new SqliteDiagnosisStore({ file });
      const b = new SqliteDiagnosisStore({ file });
      expect(a.claimRetry({ sha: SHA, target: 'host:nas', strategy: 'boot-and-reboot', signature: 'mount.remount-refused' })).toBe(true);
      expect(b.claimRetry({ sha: SHA, target: 'host:nas', strategy: 'retry-after-wait', signature: 'mount.remount-refused' })).toBe(false);
      expect(b.retriesUsed(SHA, 'host:nas')).toBe(1);
      expect(b.claimRetry({ sha: SHA, target: 'host:node1', strategy: 'retry-after-wait', signature: 'unit.dependency-not-ready' })).toBe(true);
      for (const s of [deploy, a, b]) s.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps every decision with its evidence and how it ended', () => {
    const store = new SqliteDiagnosisStore({ file: ':memory:' });
    const id = store.recordDiagnosis({ runId: 3, sha: SHA, decision });
    store.settleDiagnosis(id, 'verified', 'booted the new generation after a reboot; verified');
    const [row] = store.diagnoses({ sha: SHA });
    expect(row).toMatchObject({ id, runId: 3, sha: SHA, decision: { strategy: 'boot-and-reboot', outcome: 'verified', detail: 'booted the new generation after a reboot; verified', failure: { evidence: [{ unit: 'mnt-media.mount' }] } } });
    expect(() => store.recordDiagnosis({ runId: null, sha: SHA, decision: { ...decision, strategy: 'reboot-everything' as never } })).toThrow();
    store.close();
  });

  it('records a knowledge suggestion once per commit, signature and strategy', () => {
    const store = new SqliteDiagnosisStore({ file: ':memory:' });
    const input = { sha: SHA, signature: 'switch.units-failed', strategy: 'retry-after-wait', body: '# x' };
    expect(store.suggestKnowledge(input)).toBeGreaterThan(0);
    expect(store.suggestKnowledge(input)).toBe(0);
    expect(store.knowledgeSuggestions()).toMatchObject([{ signature: 'switch.units-failed', strategy: 'retry-after-wait', body: '# x' }]);
    store.close();
  });
});
