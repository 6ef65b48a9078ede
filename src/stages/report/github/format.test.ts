import { describe, expect, it } from 'vitest';
import type { PullRequestInfo } from '../../../ports/github.js';
import { buildReport } from '../../../../test/github/fixtures.js';
import { buildAnnotations, buildReviewCheck, buildStatusFromCheck } from './check-format.js';
import { environmentName, planDeploymentStatus } from './deployments.js';
import { batchAnnotations } from './post-check.js';
import { pickIntroducingPullRequest } from './post-push.js';
import { buildPushCheck, pushConclusion, renderPushSection, type PushOutcome } from './push-format.js';
import { buildStickyBody, findStickyComment, parseStickySections, stickyMarker } from './sticky-comment.js';
import { decideWriteAccess, decideWriteAccessFast } from './write-access.js';

const HEAD = 'b'.repeat(40);
const bot = { login: 'github-actions[bot]', type: 'Bot' };

function pr(overrides: Partial<PullRequestInfo> = {}): PullRequestInfo {
  return {
    number: 4,
    state: 'open',
    merged: false,
    mergeCommitSha: null,
    title: 't',
    body: null,
    headRef: 'feature',
    headSha: HEAD,
    headRepo: 'homelab/infra',
    baseRef: 'main',
    baseRepo: 'homelab/infra',
    author: { login: 'bob', type: 'User' },
    authorAssociation: 'COLLABORATOR',
    htmlUrl: 'https://github.test/homelab/infra/pull/4',
    ...overrides,
  };
}

describe('sticky comment', () => {
  it('round-trips sections and keeps the other section when one is rewritten', () => {
    const body = buildStickyBody(7, { review: 'R1', deploy: 'D1' });
    expect(body.startsWith(stickyMarker(7))).toBe(true);
    const sections = parseStickySections(body);
    expect(sections).toEqual({ review: 'R1', deploy: 'D1' });
    expect(parseStickySections(buildStickyBody(7, { ...sections, review: 'R2' }))).toEqual({ review: 'R2', deploy: 'D1' });
  });

  it('trims the review section first so that the deploy outcome survives the size limit', () => {
    const body = buildStickyBody(7, { review: 'r\n'.repeat(50_000), deploy: 'DEPLOYED' }, { limit: 10_000 });
    expect(body.length).toBeLessThanOrEqual(10_000);
    expect(parseStickySections(body).deploy).toBe('DEPLOYED');
  });

  it("finds only Steward's own comment for this PR, oldest first", () => {
    const marker = stickyMarker(7);
    const comments = [
      { id: 9, body: `${marker} later`, author: bot, htmlUrl: '' },
      { id: 3, body: `quoting ${marker}`, author: { login: 'mallory', type: 'User' }, htmlUrl: '' },
      { id: 5, body: `${stickyMarker(8)}`, author: bot, htmlUrl: '' },
      { id: 6, body: `${marker} first`, author: bot, htmlUrl: '' },
    ];
    expect(findStickyComment(comments, 7)?.id).toBe(6);
    expect(findStickyComment(comments, 7, { login: 'mallory' })?.id).toBe(3);
  });
});

describe('review check', () => {
  it('annotates head build errors and cited lines, failures first, and fails a build failure', () => {
    const report = buildReport({ head: HEAD, outcome: 'build-failed' });
    const check = buildReviewCheck(report, '# r', { issues: [{ file: './jobs/web.nomad', line: 3, level: 'failure', message: 'duplicate job' }] });
    expect(check.conclusion).toBe('failure');
    expect(check.annotations.map((a) => `${a.level}:${a.path}:${a.startLine}`)).toEqual(['failure:hosts/nas/default.nix:7', 'failure:jobs/web.nomad:3', 'warning:hosts/nas/default.nix:12']);
  });

  it('concludes neutral for a risky review by default and success for a clean one', () => {
    expect(buildReviewCheck(buildReport({ head: HEAD }), '').conclusion).toBe('neutral');
    expect(buildReviewCheck(buildReport({ head: HEAD, label: 'clean' }), '').conclusion).toBe('success');
    expect(buildAnnotations(buildReport({ head: HEAD, label: 'clean' }))).toEqual([]);
  });

  it('maps a held commit to a pending status and cuts its description to 140', () => {
    const status = buildStatusFromCheck({ name: 'steward', conclusion: 'action_required', title: 'x'.repeat(200), summary: '', annotations: [] });
    expect(status.state).toBe('pending');
    expect(status.description).toHaveLength(140);
  });

  it('batches annotations by 50', () => {
    const a = { path: 'f', startLine: 1, endLine: 1, level: 'notice' as const, message: 'm' };
    expect(batchAnnotations(Array(101).fill(a)).map((b) => b.length)).toEqual([50, 50, 1]);
  });
});

describe('push report', () => {
  const outcome = (results: PushOutcome['targets'][number]['result'][], approvalUrl?: string): PushOutcome => ({
    sha: HEAD,
    label: 'risky',
    targets: results.map((result, i) => ({ kind: 'host', name: `h${i}`, result, message: `m${i}` })),
    ...(approvalUrl ? { approvalUrl } : {}),
  });

  it('concludes failure over held over success', () => {
    expect(pushConclusion(outcome(['verified', 'rolled-back', 'held']))).toBe('failure');
    expect(pushConclusion(outcome(['verified', 'held']))).toBe('action_required');
    expect(pushConclusion(outcome(['verified', 'skipped']))).toBe('success');
    expect(pushConclusion(outcome(['skipped']))).toBe('skipped');
  });

  it('is neutral for a refused commit (a backwards head, a known bad commit), never a success', () => {
    expect(pushConclusion({ ...outcome([]), stopped: 'refused' })).toBe('neutral');
    expect(pushConclusion({ ...outcome([]), stopped: 'held' })).toBe('action_required');
    expect(pushConclusion({ ...outcome([]), stopped: 'failed' })).toBe('failure');
    expect(pushConclusion(outcome([]))).toBe('success');
  });

  it('points a held check at the approval PR, and is neutral when there is none', () => {
    expect(buildPushCheck(outcome(['held'], 'https://github.test/pr/9'), undefined)).toMatchObject({ conclusion: 'action_required', detailsUrl: 'https://github.test/pr/9' });
    expect(buildPushCheck(outcome(['held']), undefined).conclusion).toBe('neutral');
  });

  it('renders one table row per target with untrusted text escaped', () => {
    const section = renderPushSection({ ...outcome(['failed']), targets: [{ kind: 'job', name: 'web', result: 'failed', message: '<script>|x\ny' }] });
    expect(section).toContain('| job `web` | ❌ failed | &lt;script>\\|x y |');
  });

  it('picks the merged PR whose merge commit is the pushed commit', () => {
    const prs = [pr({ number: 1, merged: true, mergeCommitSha: 'c'.repeat(40) }), pr({ number: 2, merged: true, mergeCommitSha: HEAD }), pr({ number: 3 })];
    expect(pickIntroducingPullRequest(prs, HEAD)?.number).toBe(2);
    expect(pickIntroducingPullRequest([pr({ number: 3 })], HEAD)).toBeNull();
  });
});

describe('decideWriteAccess', () => {
  it('refuses forks and deleted forks without asking for a permission', () => {
    expect(decideWriteAccessFast(pr({ headRepo: 'mallory/infra', authorAssociation: 'OWNER' }), 'homelab/infra')).toMatchObject({ allowed: false });
    expect(decideWriteAccessFast(pr({ headRepo: null }), 'homelab/infra')).toMatchObject({ allowed: false });
  });

  it('allows owners and same-repository bots, refuses first-timers, and asks for collaborators', () => {
    expect(decideWriteAccessFast(pr({ authorAssociation: 'OWNER' }), 'homelab/infra')).toMatchObject({ allowed: true });
    expect(decideWriteAccessFast(pr({ author: bot, authorAssociation: 'NONE' }), 'homelab/infra')).toMatchObject({ allowed: true });
    expect(decideWriteAccessFast(pr({ authorAssociation: 'FIRST_TIME_CONTRIBUTOR' }), 'homelab/infra')).toMatchObject({ allowed: false });
    expect(decideWriteAccessFast(pr(), 'homelab/infra')).toBeUndefined();
    expect(decideWriteAccess(pr(), 'homelab/infra', 'triage')).toMatchObject({ allowed: false });
    expect(decideWriteAccess(pr(), 'homelab/infra', 'write')).toMatchObject({ allowed: true });
  });
});

describe('planDeploymentStatus', () => {
  it('names one environment per host and per job and reports success only once verified', () => {
    expect(environmentName({ kind: 'host', name: 'nas' })).toBe('nixos/nas');
    expect(environmentName({ kind: 'job', name: 'grafana' })).toBe('nomad/grafana');
    const plan = (state: 'started' | 'activated' | 'verified' | 'failed' | 'rolled-back' | 'superseded') => planDeploymentStatus({ target: { kind: 'host', name: 'nas' }, sha: HEAD, state }).state;
    expect(['started', 'activated', 'verified', 'failed', 'rolled-back', 'superseded'].map((s) => plan(s as never))).toEqual(['in_progress', 'in_progress', 'success', 'failure', 'failure', 'inactive']);
  });
});
