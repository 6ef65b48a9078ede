// A commit's deploy record as GitHub shows it: the push outcome (check run and the PR comment's
// `deploy` section) and one Deployment per target environment (pure mappings).
import type { DeployMirrorRecord, DeployRecordState } from '../report/github/deployments.js';
import type { PushOutcome } from '../report/github/push-format.js';
import type { CommitRecord, TargetRecord } from '../../model/deploy-record.js';

export function toPushOutcome(commit: CommitRecord): PushOutcome {
  return {
    sha: commit.head,
    label: commit.label,
    targets: commit.targets.map((t) => ({ kind: t.kind, name: t.name, result: t.result, message: t.message || t.result })),
    ...(commit.approvalUrl ? { approvalUrl: commit.approvalUrl } : {}),
    ...(commit.note ? { note: `${commit.outcome}: ${commit.note}` } : {}),
    ...(STOPPED[commit.outcome] ? { stopped: STOPPED[commit.outcome] } : {}),
  };
}

/** Outcomes that stop the commit as a whole (a preflight failure lists its failed targets). */
const STOPPED: Partial<Record<CommitRecord['outcome'], PushOutcome['stopped']>> = {
  refused: 'refused',
  'bad-commit': 'refused',
  held: 'held',
  'build-failed': 'failed',
  'validation-failed': 'failed',
  'preflight-failed': 'failed',
  failed: 'failed',
};

const STATE: Partial<Record<TargetRecord['result'], DeployRecordState>> = { verified: 'verified', deployed: 'activated', 'rolled-back': 'rolled-back', failed: 'failed' };

/** Targets that were acted on (held and skipped ones left no deployment). */
export function toMirrorRecords(commit: CommitRecord, logUrl?: string): DeployMirrorRecord[] {
  return commit.targets.flatMap((t) => {
    const state = STATE[t.result];
    if (!state || t.action === 'none') return [];
    return [{ target: { kind: t.kind, name: t.name }, sha: commit.head, state, message: t.message, ...(logUrl ? { logUrl } : {}) }];
  });
}
