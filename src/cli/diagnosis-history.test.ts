import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteDiagnosisStore } from '../adapters/store-sqlite/diagnosis-store.js';
import { silentLogger } from '../ports/logger.js';
import { Redactor } from '../redact.js';
import { diagnosisHistory } from './diagnosis-history.js';

describe('steward history --diagnoses', () => {
  it('lists each diagnosis with its evidence, and the knowledge suggestions, as text and JSON', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'steward-diag-history-'));
    try {
      const file = path.join(dir, 'state.db');
      const store = new SqliteDiagnosisStore({ file });
      const sha = '4'.repeat(40);
      store.recordDiagnosis({ runId: 1, sha, decision: { failure: { signature: 'mount.remount-refused', step: 'activation', target: { kind: 'host', name: 'nas' }, summary: 's', evidence: [{ host: 'nas', unit: 'mnt-media.mount', signal: 'journal', detail: 'umount: /mnt/media: target is busy.' }], dependsOn: [] }, signature: 'mount.remount-refused', proposed: 'boot-and-reboot', chosenBy: 'knowledge', why: 'w', knownSignature: true, strategy: 'boot-and-reboot', outcome: 'verified', detail: 'rebooted; verified' } });
      store.suggestKnowledge({ sha, signature: 'repo.nas-activation', strategy: 'retry-after-wait', body: '# nas\n```steward-failure\nsignature: repo.nas-activation\n```' });
      store.close();
      const out: string[] = [];
      const ctx = { logger: silentLogger, redactor: new Redactor(), out: (t: string) => void out.push(t), env: {} };
      diagnosisHistory(ctx, file, { limit: 10 });
      expect(out[0]).toContain('444444444444  diagnosis host nas: mount.remount-refused -> boot-and-reboot [knowledge]: verified, rebooted; verified');
      expect(out[0]).toContain('    host nas, unit mnt-media.mount, journal, umount: /mnt/media: target is busy.');
      expect(out[0]).toContain('knowledge suggestion (444444444444, repo.nas-activation -> retry-after-wait):');
      diagnosisHistory(ctx, file, { limit: 10, json: true });
      expect(JSON.parse(out[1]!)).toMatchObject({ schema: 'steward.diagnoses/v1', diagnoses: [{ sha, decision: { strategy: 'boot-and-reboot' } }], suggestions: [{ signature: 'repo.nas-activation' }] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
