// Each job rule and its label, with the evidence it cites.
import { describe, expect, it } from 'vitest';
import { Reason } from '../../model/evidence.js';
import { emptyJobChange, JobChange, type ImageChange } from '../../model/job-change.js';
import { jobRules, validationRules } from './job-rules.js';

function change(overrides: Partial<JobChange> = {}): JobChange {
  return JobChange.parse({ ...emptyJobChange({ job: 'app', namespace: 'default', file: 'nomad/app.nomad', line: 3, change: 'modified', type: 'service' }), ...overrides });
}

function image(overrides: Partial<ImageChange>): ImageChange {
  return { group: 'app', task: 'server', from: 'app:1.0.0', to: 'app:1.0.1', bump: 'patch', scheme: 'semver', repositoryChanged: false, note: null, stateful: false, database: false, line: 12, ...overrides };
}

const verdict = (reasons: Reason[]) => reasons.map((r) => `${r.label}:${r.ruleId}`);

describe('jobRules', () => {
  it('labels a new job clean and cites its file and line', () => {
    const reasons = jobRules([change({ change: 'added' })]);
    expect(verdict(reasons)).toEqual(['clean:job.added']);
    expect(reasons[0]!.evidence).toEqual([{ job: 'app', file: 'nomad/app.nomad', line: 3, detail: 'added' }]);
    for (const r of reasons) Reason.parse(r);
  });

  it('labels removing a job that holds data risky, and a stateless one clean', () => {
    expect(verdict(jobRules([change({ change: 'removed', stateful: true, statefulBecause: ['app/db: host volume pg (rw)'] })]))).toEqual(['risky:job.removed-stateful']);
    expect(verdict(jobRules([change({ change: 'removed' })]))).toEqual(['clean:job.removed']);
  });

  it('labels a major bump of a stateful image risky, with the image line', () => {
    const reasons = jobRules([change({ images: [image({ from: 'postgres:16.4', to: 'postgres:17.0', bump: 'major', stateful: true, database: true })] })]);
    expect(verdict(reasons)).toEqual(['risky:job.image-major-stateful']);
    expect(reasons[0]!.message).toContain('a database');
    expect(reasons[0]!.evidence[0]).toMatchObject({ line: 12, detail: 'postgres:16.4 -> postgres:17.0' });
  });

  it('labels a job the cluster cannot place risky, with the plan\'s reason as evidence', () => {
    const plan = { jobId: 'app', diffType: 'Edited' as const, groups: [], fields: [], jobModifyIndex: 7, failedPlacements: ["web: no node in the job's datacenters (the cluster has home); 0 nodes evaluated"] };
    const reasons = jobRules([change({ plan: { planned: true, plan } })]);
    expect(verdict(reasons)).toEqual(['risky:job.placement-failed']);
    expect(reasons[0]!.message).toMatch(/cannot be placed by the cluster's plan: web: no node in the job's datacenters/);
    expect(reasons[0]!.evidence[0]).toMatchObject({ job: 'app', file: 'nomad/app.nomad', detail: expect.stringContaining('0 nodes evaluated') });
    // A new job is planned too: a typo in its datacenter is caught before it is registered.
    expect(verdict(jobRules([change({ change: 'added', plan: { planned: true, plan } })]))).toEqual(['clean:job.added', 'risky:job.placement-failed']);
    expect(verdict(jobRules([change({ plan: { planned: true, plan: { ...plan, failedPlacements: [] } } })]))).toEqual([]);
  });

  it('labels a major bump of a stateless image risky under its own rule', () => {
    expect(verdict(jobRules([change({ images: [image({ bump: 'major' })] })]))).toEqual(['risky:job.image-major']);
  });

  it('labels patch and minor bumps clean, stateful or not', () => {
    expect(verdict(jobRules([change({ images: [image({ bump: 'patch' })] })]))).toEqual(['clean:job.image-patch']);
    expect(verdict(jobRules([change({ images: [image({ bump: 'minor', stateful: true })] })]))).toEqual(['clean:job.image-minor']);
  });

  it('labels an incomparable tag of a stateful app risky with the reason, of a stateless one clean', () => {
    const note = 'cannot compare tags latest -> 2.0: not version numbers';
    const risky = jobRules([change({ images: [image({ bump: 'incomparable', stateful: true, note })] })]);
    expect(verdict(risky)).toEqual(['risky:job.image-incomparable-stateful']);
    expect(risky[0]!.evidence[0]!.detail).toContain(note);
    expect(verdict(jobRules([change({ images: [image({ bump: 'incomparable' })] })]))).toEqual(['clean:job.image-incomparable']);
  });

  it('labels a stateful image that moves to another repository risky', () => {
    expect(verdict(jobRules([change({ images: [image({ bump: 'minor', repositoryChanged: true, stateful: true })] })]))).toEqual(['risky:job.image-repository-stateful']);
  });

  it('labels forward auth taken off a public route risky', () => {
    const route = { router: 'web', protocol: 'http' as const, service: 'web', change: 'changed' as const, ruleFrom: 'Host(`a`)', ruleTo: 'Host(`a`)', entrypoints: ['websecure'], line: 9 };
    expect(verdict(jobRules([change({ routes: [{ ...route, public: true, authFrom: ['authelia@file'], authTo: [] }] })]))).toEqual(['risky:job.route-auth-removed']);
    expect(verdict(jobRules([change({ routes: [{ ...route, public: false, authFrom: ['authelia@file'], authTo: [] }] })]))).toEqual(['clean:job.route-changed']);
    expect(verdict(jobRules([change({ routes: [{ ...route, public: true, authFrom: ['a@file'], authTo: ['b@file'] }] })]))).toEqual(['clean:job.route-changed']);
  });

  it('labels a moved or removed data mount risky and an added one clean', () => {
    const mount = { group: 'app', task: 'server', kind: 'bind-mount' as const, from: 'bind mount /srv/a -> /data (rw)', to: 'bind mount /srv/b -> /data (rw)', line: 4 };
    expect(verdict(jobRules([change({ volumes: [{ ...mount, change: 'changed', data: true }] })]))).toEqual(['risky:job.data-mount-moved']);
    expect(verdict(jobRules([change({ volumes: [{ ...mount, change: 'added', data: true }] })]))).toEqual(['clean:job.mounts']);
    expect(verdict(jobRules([change({ volumes: [{ ...mount, change: 'changed', data: false }] })]))).toEqual(['clean:job.mounts']);
  });

  it('labels a static port removed risky and a dynamic port change clean', () => {
    const port = { group: 'app', label: 'dns', line: 5 };
    expect(verdict(jobRules([change({ ports: [{ ...port, change: 'removed', from: 'static 53', to: null, static: true }] })]))).toEqual(['risky:job.static-port-changed']);
    expect(verdict(jobRules([change({ ports: [{ ...port, change: 'added', from: null, to: 'static 53', static: true }] })]))).toEqual(['clean:job.ports']);
    expect(verdict(jobRules([change({ ports: [{ ...port, change: 'changed', from: 'dynamic -> 80', to: 'dynamic -> 8080', static: false }] })]))).toEqual(['clean:job.ports']);
  });

  it('labels a removed group risky only when it holds data', () => {
    expect(verdict(jobRules([change({ groups: [{ group: 'db', change: 'removed', stateful: true, line: 8 }] })]))).toEqual(['risky:job.group-removed-stateful']);
    expect(verdict(jobRules([change({ groups: [{ group: 'db', change: 'removed', stateful: false, line: 8 }] })]))).toEqual(['clean:job.group-removed']);
  });

  it('labels a removed task risky only when it holds data, and an added one clean', () => {
    expect(verdict(jobRules([change({ images: [image({ bump: 'removed', to: null, stateful: true })] })]))).toEqual(['risky:job.task-removed-stateful']);
    expect(verdict(jobRules([change({ images: [image({ bump: 'removed', to: null })] })]))).toEqual(['clean:job.task-removed']);
    expect(verdict(jobRules([change({ images: [image({ bump: 'added', from: null, stateful: true })] })]))).toEqual(['clean:job.task-added']);
  });

  it('labels a job type change risky', () => {
    expect(verdict(jobRules([change({ type: 'system', typeFrom: 'service' })]))).toEqual(['risky:job.type-changed']);
  });

  it('labels resources, count, update, services, other fields and kept expressions clean', () => {
    const reasons = jobRules([
      change({
        resources: [{ group: 'app', task: 'server', field: 'memory', from: 128, to: 256, line: 7 }],
        count: [{ group: 'app', from: 1, to: 2, line: 5 }],
        update: [{ group: 'app', field: 'canary', from: '1', to: '0', line: 6 }],
        services: [{ group: 'app', service: 'web', change: 'changed', tagsAdded: ['x'], tagsRemoved: [], fields: [], line: 9 }],
        other: ['group.app.task.server.env.TZ'],
        unresolved: ['group.app.count: ${var.n}'],
      }),
    ]);
    expect(verdict(reasons)).toEqual(['clean:job.resources', 'clean:job.count', 'clean:job.update', 'clean:job.services', 'clean:job.other', 'clean:job.unresolved']);
    expect(reasons[0]!.evidence[0]).toMatchObject({ line: 7, detail: 'app/server memory 128 -> 256' });
  });
});

describe('validationRules', () => {
  it('turns each error finding into a risky reason and ignores warnings', () => {
    const reasons = validationRules([
      { severity: 'error', code: 'static-port-conflict', message: 'static port 443 is also reserved', file: 'nomad/a.nomad', line: 7, job: 'a' },
      { severity: 'warning', code: 'unresolved-expression', message: 'kept', file: 'nomad/b.nomad', line: 1 },
    ]);
    expect(reasons).toEqual([
      {
        ruleId: 'job.static.static-port-conflict',
        label: 'risky',
        message: 'static validation failed: static port 443 is also reserved',
        evidence: [{ job: 'a', file: 'nomad/a.nomad', line: 7, detail: 'static-port-conflict' }],
      },
    ]);
  });
});
