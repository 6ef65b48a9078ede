import { describe, expect, it } from 'vitest';
import { defaultConfig, StewardConfig } from '../../config/schema.js';
import type { Label } from '../../model/label.js';
import { REVIEW_SCHEMA_VERSION, type ReviewReport } from '../../model/review.js';
import type { ChangeSet } from '../../model/changeset.js';
import { changeSet, host, jobChange } from '../../../test/helpers/changesets.js';
import { planTargets, planWaves, type HostTarget } from './plan-targets.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const HEAD = 'c'.repeat(40);
const plan = { jobId: 'web', diffType: 'Edited' as const, groups: [], fields: [], jobModifyIndex: 42, failedPlacements: [] };

function review(cs: ChangeSet, labels: { hosts?: Record<string, Label>; jobs?: Record<string, Label>; repo?: Label } = {}): ReviewReport {
  const reasons = labels.repo ? [{ ruleId: 'repo.secrets', label: labels.repo, message: 'a secret file changed', evidence: [{ file: 'secrets/x.age' }] }] : [];
  const label = labels.repo ?? 'clean';
  return {
    schema: REVIEW_SCHEMA_VERSION,
    repo: '/r',
    base: cs.base,
    head: cs.head,
    level: 'build',
    outcome: 'reviewed',
    label,
    verdict: { label, decidedBy: 'rules', reviewed: false, rules: { label, reasons, hosts: labels.hosts ?? {}, jobs: labels.jobs ?? {} } },
    changeSet: cs,
    stats: { nix: null, hostsTotal: 0, hostsChanged: 0, toplevelsBuilt: 0, evalProcesses: 0, baseFromCache: false },
    timings: { detectMs: 0, evalMs: 0, buildMs: 0, analyzeMs: 0, classifyMs: 0, totalMs: 0 },
  };
}

const changed = (name: string, roles: string[] = []) => host(name, { roles, toplevel: { base: `/nix/store/${name}-old`, head: `/nix/store/${name}-new` } });

describe('planTargets', () => {
  const config = StewardConfig.parse({ hosts: { nas: { target: 'root@nas', needsReboot: 'switch' }, node1: { target: 'root@node1', roles: ['consul-server'] }, desk: { target: 'root@desk', reboot: 'manual' } } });

  it('takes each target from the review of its own base and activates by its label', () => {
    const fleet = review(changeSet({ base: A, head: HEAD, hosts: [changed('nas'), changed('node1', ['consul-server']), host('desk', { status: 'unchanged' })], jobs: [jobChange('web', { plan: { planned: true, plan } })] }), { hosts: { nas: 'needs-reboot', node1: 'clean' }, jobs: { web: 'clean' } });
    const own = review(changeSet({ base: B, head: HEAD, hosts: [host('nas', { status: 'unchanged' }), host('node1', { status: 'unchanged' }), changed('desk')] }), { hosts: { desk: 'needs-reboot' } });
    const result = planTargets({ head: HEAD, reviews: new Map([[A, fleet], [B, own]]), baseOf: (kind, name) => (name === 'desk' ? B : A), config, reachable: () => true });
    expect(result.hosts.map((h) => [h.host, h.base, h.activation, h.reboot, h.quorum])).toEqual([
      ['desk', B, 'boot', 'manual', false],
      ['nas', A, 'switch', 'auto', false],
      ['node1', A, 'switch', 'auto', true],
    ]);
    expect(result.jobs).toMatchObject([{ job: 'web', plan: { jobModifyIndex: 42 } }]);
    expect(result.label).toBe('needs-reboot');
    expect(result.unchanged).toEqual([]);
  });

  it('leaves unchanged, removed and unreachable hosts alone, stops removed jobs, and refuses jobs it cannot plan', () => {
    const cs = changeSet({ base: A, head: HEAD, hosts: [host('old', { status: 'removed' }), changed('nowhere'), host('same', { status: 'unchanged' })], jobs: [jobChange('gone', { change: 'removed' }), jobChange('web')] });
    const result = planTargets({ head: HEAD, reviews: new Map([[A, review(cs)]]), baseOf: () => A, config: defaultConfig(), reachable: (h) => h !== 'nowhere' });
    expect(result.hosts).toEqual([]);
    expect(result.unchanged).toEqual([{ kind: 'host', name: 'same' }]);
    expect(result.skipped.map((t) => `${t.kind} ${t.name}: ${t.result}`)).toEqual(['host nowhere: skipped', 'host old: skipped', 'job web: failed']);
    expect(result.stops).toMatchObject([{ job: 'gone', base: A }]);
  });

  it('counts reasons that name no target (a secret file) for the whole commit', () => {
    const cs = changeSet({ base: A, head: HEAD, hosts: [changed('nas')] });
    expect(planTargets({ head: HEAD, reviews: new Map([[A, review(cs, { hosts: { nas: 'clean' }, repo: 'risky' })]]), baseOf: () => A, config, reachable: () => true }).label).toBe('risky');
  });
});

describe('planWaves', () => {
  const t = (name: string, quorum = false, batch: number | null = null) => ({ host: name, quorum, batch }) as HostTarget;

  it('rolls batches together, other hosts one at a time, and quorum members strictly alone, last', () => {
    const waves = planWaves([t('node2', true, 1), t('desk', false, 1), t('nas', false, 1), t('pi'), t('node1', true, 1), t('cam', false, 0)]);
    expect(waves.map((w) => w.map((h) => h.host))).toEqual([['cam'], ['desk', 'nas'], ['pi'], ['node1'], ['node2']]);
  });
});
