import { describe, expect, it } from 'vitest';
import { changeSet, host, jobChange, mount, unit } from '../../../test/helpers/changesets.js';
import { DEFAULT_CRITICAL_UNITS } from '../../config/defaults.js';
import type { ChangeSet } from '../../model/changeset.js';
import { REVIEW_SCHEMA_VERSION, ReviewReport } from '../../model/review.js';
import { rulesOnlyVerdict } from '../../pipeline/review.js';
import { classifyRules } from '../classify/classify-rules.js';
import { codeSpan } from './markdown.js';
import { renderReviewMarkdown } from './render-review-markdown.js';

function report(cs: ChangeSet): ReviewReport {
  const rules = classifyRules(cs, { criticalUnits: DEFAULT_CRITICAL_UNITS, overrides: {}, nixpkgsBumpHosts: 2 });
  return ReviewReport.parse({
    schema: REVIEW_SCHEMA_VERSION,
    repo: '/srv/homelab',
    base: cs.base,
    head: cs.head,
    level: cs.level,
    outcome: cs.jobFindings.some((f) => f.severity === 'error') ? 'validation-failed' : 'reviewed',
    label: rules.label,
    verdict: rulesOnlyVerdict(rules),
    changeSet: cs,
    stats: { nix: 'nix 2.8.0', hostsTotal: cs.hosts.length, hostsChanged: cs.hosts.filter((h) => h.status !== 'unchanged').length, toplevelsBuilt: 4, evalProcesses: 2, baseFromCache: true },
    timings: { detectMs: 5, evalMs: 1200, buildMs: 800, analyzeMs: 40, classifyMs: 2, totalMs: 2100 },
  });
}

describe('renderReviewMarkdown', () => {
  it('renders hosts, jobs, reasons and folded details as in the reviewed snapshot', async () => {
    const cs = changeSet({
      hosts: [
        host('nas', { roles: ['nfs-server'], units: [unit('sshd.service', { critical: true, why: 'X-StopIfChanged=false: restarted after activation' })], boot: { kernel: { from: 'linux-6.6.66/bzImage', to: 'linux-6.12.6/bzImage' } } }),
        host('node1', { roles: ['consul-server'], mounts: [mount('/mnt/media', { from: 'nfsvers=4.2', to: 'nfsvers=4.2,noatime' })] }),
        host('desk', { status: 'unchanged' }),
      ],
      jobs: [jobChange('miniflux', { images: [{ group: 'miniflux', task: 'miniflux', from: 'miniflux/miniflux:2.2.0', to: 'miniflux/miniflux:2.2.1', bump: 'patch', scheme: 'semver', repositoryChanged: false, note: null, stateful: false, database: false, line: 47 }] })],
      jobFindings: [{ severity: 'error', code: 'static-port-conflict', message: 'port 80 is held by traefik (nomad/traefik.nomad:21)', file: 'nomad/adguard.nomad', line: 11, job: 'adguard' }],
    });
    await expect(renderReviewMarkdown(report(cs))).toMatchFileSnapshot('./__snapshots__/review-build.md');
  });
  it('puts untrusted evidence in code spans that backticks cannot break', () => {
    expect(codeSpan('a `b` c')).toBe('``a `b` c``');
    expect(codeSpan('<!-- x -->\nline')).toBe('`<!-- x --> line`');
  });
});
