// The GitHub reporter against the local double: sticky comment, checks, status fallback,
// annotation batches, size limits, push reports and who may cause writes.
import { describe, expect, it } from 'vitest';
import { createActionsJobSummary } from '../../src/adapters/github-actions/job-summary.js';
import { postCheck, startCheck } from '../../src/stages/report/github/post-check.js';
import { postPushReport } from '../../src/stages/report/github/post-push.js';
import { postPullRequestReview } from '../../src/stages/report/github/post-review.js';
import { stickyMarker } from '../../src/stages/report/github/sticky-comment.js';
import type { GitHubDouble } from '../fakes/github-api/server.js';
import { MARKDOWN, buildReport, useSeededDouble, wire } from './fixtures.js';

const gh = useSeededDouble();

function openFeaturePr(options: Parameters<GitHubDouble['state']['openPullRequest']>[0] = { head: 'feature' }) {
  return gh.double.state.openPullRequest(options);
}

describe('postPullRequestReview', () => {
  it('creates the sticky comment once, then edits it in place on the next run', async () => {
    const pr = openFeaturePr();
    const deps = wire(gh.double);
    const first = await postPullRequestReview(deps, { report: buildReport({ head: gh.shas.feature }), markdown: MARKDOWN, pr: pr.number, headSha: gh.shas.feature });
    const second = await postPullRequestReview(deps, { report: buildReport({ head: gh.shas.feature, label: 'clean' }), markdown: MARKDOWN.replace('risky', 'clean'), pr: pr.number, headSha: gh.shas.feature });
    expect(first).toMatchObject({ posted: true, comment: { action: 'created' } });
    expect(second).toMatchObject({ posted: true, comment: { action: 'updated' } });
    const comments = gh.double.state.comments.filter((c) => c.issue === pr.number);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain(stickyMarker(pr.number));
    expect(comments[0]!.body).toContain('🟢 **clean**');
    expect(gh.double.calls('issues/create-comment')).toHaveLength(1);
    expect(gh.double.calls('issues/update-comment')).toHaveLength(1);
  });

  it('warns and still posts when the job summary file cannot be written', async () => {
    const pr = openFeaturePr();
    const deps = { ...wire(gh.double), jobSummary: createActionsJobSummary() };
    const before = process.env.GITHUB_STEP_SUMMARY;
    process.env.GITHUB_STEP_SUMMARY = '/nonexistent-steward-dir/step_summary';
    try {
      const result = await postPullRequestReview(deps, { report: buildReport({ head: gh.shas.feature }), markdown: MARKDOWN, pr: pr.number, headSha: gh.shas.feature });
      expect(result).toMatchObject({ posted: true, comment: { action: 'created' } });
    } finally {
      if (before === undefined) delete process.env.GITHUB_STEP_SUMMARY;
      else process.env.GITHUB_STEP_SUMMARY = before;
    }
    expect(deps.logger.lines.some((l) => l.startsWith('warn: job summary not written'))).toBe(true);
  });

  it('finds its comment behind 120 others (pagination) and edits it', async () => {
    const pr = openFeaturePr();
    const deps = wire(gh.double);
    await postPullRequestReview(deps, { report: buildReport({ head: gh.shas.feature }), markdown: MARKDOWN, pr: pr.number, headSha: gh.shas.feature });
    const alice = gh.double.state.user('alice');
    for (let i = 0; i < 120; i++) gh.double.state.addComment(pr.number, `comment ${i}`, alice);
    // A human quoting the marker must not be taken for Steward's comment.
    gh.double.state.addComment(pr.number, `look: ${stickyMarker(pr.number)}`, alice);
    const result = await postPullRequestReview(deps, { report: buildReport({ head: gh.shas.feature, label: 'needs-reboot' }), markdown: MARKDOWN, pr: pr.number, headSha: gh.shas.feature });
    expect(result).toMatchObject({ comment: { action: 'updated' } });
    expect(gh.double.calls('issues/list-comments').at(-1)!.url).toContain('page=2');
    expect(gh.double.state.comments.filter((c) => c.user.type === 'Bot')).toHaveLength(1);
    expect(gh.double.calls('issues/create-comment')).toHaveLength(1);
  });

  it('keeps the comment and the check text within GitHub limits, with a pointer to the full report', async () => {
    const pr = openFeaturePr();
    const huge = `${MARKDOWN}\n## Units\n\n${Array.from({ length: 6000 }, (_, i) => `- unit-${i}.service restarts (ExecStart changed)`).join('\n')}\n`;
    const result = await postPullRequestReview(wire(gh.double), { report: buildReport({ head: gh.shas.feature }), markdown: huge, pr: pr.number, headSha: gh.shas.feature, fullReportUrl: 'https://github.test/homelab/infra/actions/runs/7' });
    expect(result.posted).toBe(true);
    const body = gh.double.state.comments[0]!.body;
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body).toContain('https://github.test/homelab/infra/actions/runs/7');
    expect(body.split('<details>').length).toBe(body.split('</details>').length);
    const run = gh.double.state.checkRuns[0]!;
    expect(run.output.text!.length).toBeLessThanOrEqual(65_535);
    expect(run.output.text).toContain('Truncated');
  });

  it('posts a check with a conclusion and file:line annotations', async () => {
    const pr = openFeaturePr();
    await postPullRequestReview(wire(gh.double), { report: buildReport({ head: gh.shas.feature, outcome: 'build-failed' }), markdown: MARKDOWN, pr: pr.number, headSha: gh.shas.feature });
    const run = gh.double.state.checkRuns[0]!;
    expect(run).toMatchObject({ name: 'steward', headSha: gh.shas.feature, status: 'completed', conclusion: 'failure' });
    expect(run.annotations.map((a) => `${a.annotation_level} ${a.path}:${a.start_line}`)).toEqual(['failure hosts/nas/default.nix:7', 'warning hosts/nas/default.nix:12']);
  });

  it('refuses to write for a pull request from a fork', async () => {
    const pr = openFeaturePr({ head: 'feature', user: gh.double.state.user('mallory'), association: 'CONTRIBUTOR', fork: { repo: 'mallory/infra', sha: gh.shas.feature } });
    const deps = wire(gh.double);
    const result = await postPullRequestReview(deps, { report: buildReport({ head: gh.shas.feature }), markdown: MARKDOWN, pr: pr.number, headSha: gh.shas.feature });
    expect(result).toMatchObject({ posted: false });
    expect(gh.double.exchanges.filter((e) => e.method !== 'GET')).toEqual([]);
  });

  it('refuses to write for an author with read access, and writes for one with write access', async () => {
    const bob = gh.double.state.user('bob');
    const pr = openFeaturePr({ head: 'feature', user: bob, association: 'COLLABORATOR' });
    gh.double.state.permissions.set('bob', 'read');
    const deps = wire(gh.double);
    const input = { report: buildReport({ head: gh.shas.feature }), markdown: MARKDOWN, pr: pr.number, headSha: gh.shas.feature };
    expect(await postPullRequestReview(deps, input)).toMatchObject({ posted: false });
    expect(gh.double.calls('repos/get-collaborator-permission-level')).toHaveLength(1);
    gh.double.state.permissions.set('bob', 'maintain');
    expect(await postPullRequestReview(deps, input)).toMatchObject({ posted: true });
  });

  it('leaves the comment alone when the PR moved on to a newer commit', async () => {
    const pr = openFeaturePr();
    const newer = gh.double.state.commitFiles({ 'x.nix': '1' }, gh.shas.feature, 'newer');
    gh.double.state.setBranch('feature', newer);
    const result = await postPullRequestReview(wire(gh.double), { report: buildReport({ head: gh.shas.feature }), markdown: MARKDOWN, pr: pr.number, headSha: gh.shas.feature });
    expect(result).toMatchObject({ posted: true, comment: null });
    expect(gh.double.state.checkRuns[0]!.headSha).toBe(gh.shas.feature);
    expect(gh.double.state.comments).toHaveLength(0);
  });
});

describe('postCheck', () => {
  it('falls back to a commit status when check runs are not accessible to the token', async () => {
    gh.double.inject({ operationId: 'checks/create', kind: 'integration-forbidden', times: Infinity });
    const deps = wire(gh.double);
    const posted = await postCheck(deps, gh.shas.feature, { name: 'steward', conclusion: 'failure', title: 'x'.repeat(300), summary: 's', annotations: [] });
    expect(posted).toEqual({ kind: 'status', state: 'failure' });
    expect(gh.double.state.statuses).toHaveLength(1);
    expect(gh.double.state.statuses[0]!.description!.length).toBeLessThanOrEqual(140);
    expect(deps.logger.lines.some((l) => l.includes('commit status instead'))).toBe(true);
  });

  it('completes a check started as in_progress instead of creating a second one', async () => {
    const deps = wire(gh.double);
    const handle = await startCheck(deps, gh.shas.feature, { name: 'steward', title: 'deploying' });
    expect(gh.double.state.checkRuns[0]).toMatchObject({ status: 'in_progress', conclusion: null });
    await postCheck(deps, gh.shas.feature, { name: 'steward', conclusion: 'success', title: 'done', summary: 's', annotations: [] }, handle);
    expect(gh.double.state.checkRuns).toHaveLength(1);
    expect(gh.double.state.checkRuns[0]).toMatchObject({ status: 'completed', conclusion: 'success', output: { title: 'done' } });
  });

  it('starts with a pending status and ends with a final one when check runs are forbidden', async () => {
    gh.double.inject({ operationId: 'checks/create', kind: 'integration-forbidden', times: Infinity });
    const deps = wire(gh.double);
    const handle = await startCheck(deps, gh.shas.feature, { name: 'steward', title: 'deploying' });
    await postCheck(deps, gh.shas.feature, { name: 'steward', conclusion: 'success', title: 'done', summary: 's', annotations: [] }, handle);
    expect(gh.double.state.statuses.map((s) => s.state)).toEqual(['pending', 'success']);
    expect(gh.double.calls('checks/create')).toHaveLength(1);
  });

  it('sends 120 annotations in batches of at most 50', async () => {
    const annotations = Array.from({ length: 120 }, (_, i) => ({ path: 'jobs/web.nomad', startLine: i + 1, endLine: i + 1, level: 'warning' as const, message: `problem ${i}` }));
    const posted = await postCheck(wire(gh.double), gh.shas.feature, { name: 'steward', conclusion: 'neutral', title: 't', summary: 's', annotations });
    expect(posted).toMatchObject({ kind: 'check-run', annotationRequests: 3 });
    const run = gh.double.state.checkRuns[0]!;
    expect(run.annotationBatches).toEqual([50, 50, 20]);
    expect(run.annotations).toHaveLength(120);
    expect(run.conclusion).toBe('neutral');
  });
});

describe('postPushReport', () => {
  it('reports on the commit and adds the deploy section to the PR that introduced it', async () => {
    const pr = openFeaturePr();
    const deps = wire(gh.double);
    await postPullRequestReview(deps, { report: buildReport({ head: gh.shas.feature }), markdown: MARKDOWN, pr: pr.number, headSha: gh.shas.feature });
    const merge = gh.double.state.merge(pr, gh.double.state.user('alice'));
    const outcome = {
      sha: merge,
      label: 'risky' as const,
      targets: [
        { kind: 'host' as const, name: 'nas', result: 'rolled-back' as const, message: 'switch failed | exit 4; rolled back to generation 41' },
        { kind: 'job' as const, name: 'grafana', result: 'verified' as const, message: 'deployment healthy' },
      ],
    };
    const result = await postPushReport(deps, { outcome });
    expect(result).toMatchObject({ pr: pr.number, comment: { action: 'updated' }, check: { kind: 'check-run' } });
    const body = gh.double.state.comments[0]!.body;
    expect(body).toContain('Steward: 🔴 **risky**');
    expect(body).toContain('⏪ rolled-back');
    expect(body).toContain('switch failed \\| exit 4');
    expect(gh.double.state.checkRuns.at(-1)).toMatchObject({ headSha: merge, conclusion: 'failure' });
  });

  it('posts no comment for a commit pushed without a pull request', async () => {
    const direct = gh.double.state.commitFiles({ 'README.md': 'hi' }, gh.shas.main, 'direct push');
    const result = await postPushReport(wire(gh.double), { outcome: { sha: direct, label: 'clean', targets: [] } });
    expect(result).toMatchObject({ pr: null, comment: null, check: { kind: 'check-run' } });
    expect(gh.double.state.comments).toHaveLength(0);
  });
});
