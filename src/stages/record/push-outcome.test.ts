import { describe, expect, it } from 'vitest';
import type { CommitRecord, DeployOutcome } from '../../model/deploy-record.js';
import { buildPushCheck } from '../report/github/push-format.js';
import { toPushOutcome } from './push-outcome.js';

const record = (outcome: DeployOutcome): CommitRecord => ({
  head: 'b'.repeat(40),
  bases: [],
  label: 'clean',
  reasons: [],
  digests: [],
  outcome,
  approved: false,
  targets: [],
  preflight: [],
  invariants: [],
  note: 'bbbbbbbbbbbb is older than cccccccccccc, which host nas runs: refusing to move backwards',
  timings: { reviewMs: 0, preflightMs: 0, prepareMs: 0, hostsMs: 0, jobsMs: 0, totalMs: 0 },
  startedAt: '2025-01-01T00:00:00.000Z',
  finishedAt: '2025-01-01T00:00:00.000Z',
});

describe('toPushOutcome', () => {
  it('gives a refused commit (no target touched) a neutral check, not a success', () => {
    expect(buildPushCheck(toPushOutcome(record('refused')), undefined).conclusion).toBe('neutral');
    expect(buildPushCheck(toPushOutcome(record('bad-commit')), undefined).conclusion).toBe('neutral');
  });

  it('never reports success for a held or blocked commit without target rows', () => {
    expect(buildPushCheck(toPushOutcome({ ...record('held'), approvalUrl: 'https://github.test/pr/9' }), undefined).conclusion).toBe('action_required');
    expect(buildPushCheck(toPushOutcome(record('held')), undefined).conclusion).toBe('neutral');
    expect(buildPushCheck(toPushOutcome(record('build-failed')), undefined).conclusion).toBe('failure');
    expect(buildPushCheck(toPushOutcome(record('nothing-to-do')), undefined).conclusion).toBe('success');
  });
});
