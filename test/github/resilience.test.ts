// Rate limits and 5xx retried with tiny waits, errors converted to ApiError, deployments mirrored,
// and the token never present in any request body, response, log line or error message.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/errors.js';
import { MemoryApprovalStore } from '../../src/ports/approval-store.js';
import { requestApproval } from '../../src/stages/gate/approval/approval-flow.js';
import { mirrorDeployRecord } from '../../src/stages/report/github/deployments.js';
import { postPushReport } from '../../src/stages/report/github/post-push.js';
import { postPullRequestReview } from '../../src/stages/report/github/post-review.js';
import { MARKDOWN, TOKEN, buildReport, useSeededDouble, wire } from './fixtures.js';

const gh = useSeededDouble();

describe('GitHub client retries', () => {
  it('waits out a primary rate limit (403, x-ratelimit-remaining: 0) and retries', async () => {
    gh.double.inject({ operationId: 'checks/create', kind: 'rate-limit', times: 1 });
    const { github, logger } = wire(gh.double);
    await github.createCheckRun({ name: 'steward', headSha: gh.shas.main, status: 'in_progress' });
    expect(gh.double.calls('checks/create').map((e) => e.status)).toEqual([403, 201]);
    expect(logger.lines.some((l) => l.startsWith('warn: GitHub rate limit'))).toBe(true);
  });

  it('waits out a secondary rate limit (429, retry-after) and retries', async () => {
    gh.double.inject({ operationId: 'issues/list-comments', kind: 'secondary-rate-limit', times: 2 });
    const pr = gh.double.state.openPullRequest({ head: 'feature' });
    const { github } = wire(gh.double);
    expect(await github.listIssueComments(pr.number)).toEqual([]);
    expect(gh.double.calls('issues/list-comments').map((e) => e.status)).toEqual([429, 429, 200]);
  });

  it('retries a 5xx and succeeds', async () => {
    gh.double.inject({ operationId: 'pulls/get', kind: 'server-error', times: 2 });
    const pr = gh.double.state.openPullRequest({ head: 'feature' });
    const { github } = wire(gh.double);
    expect((await github.getPullRequest(pr.number)).number).toBe(pr.number);
    expect(gh.double.calls('pulls/get').map((e) => e.status)).toEqual([502, 502, 200]);
  });

  it('gives up after the configured retries with an ApiError carrying the status', async () => {
    gh.double.inject({ operationId: 'pulls/get', kind: 'server-error', times: Infinity });
    const pr = gh.double.state.openPullRequest({ head: 'feature' });
    const { github } = wire(gh.double, { retries: 2 });
    const error = await github.getPullRequest(pr.number).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ service: 'github', status: 502 });
    expect(gh.double.calls('pulls/get')).toHaveLength(3);
  });
});

describe('mirrorDeployRecord', () => {
  it('creates one deployment per commit and environment and mirrors the record states', async () => {
    const deps = wire(gh.double);
    const nas = { kind: 'host' as const, name: 'nas' };
    await mirrorDeployRecord(deps, { target: nas, sha: gh.shas.main, state: 'started' });
    await mirrorDeployRecord(deps, { target: nas, sha: gh.shas.main, state: 'verified', message: 'switch ok', logUrl: 'https://github.test/runs/1' });
    await mirrorDeployRecord(deps, { target: { kind: 'job', name: 'grafana' }, sha: gh.shas.main, state: 'rolled-back', message: 'unhealthy allocations' });
    expect(gh.double.state.deployments.map((d) => d.environment)).toEqual(['nixos/nas', 'nomad/grafana']);
    expect(gh.double.state.deployments[0]!.statuses.map((s) => s.state)).toEqual(['in_progress', 'success']);
    expect(gh.double.state.deployments[1]!.statuses.map((s) => s.state)).toEqual(['failure']);
    // The next verified commit on nas leaves the first deployment inactive.
    await mirrorDeployRecord(deps, { target: nas, sha: gh.shas.feature, state: 'verified' });
    expect(gh.double.state.deployments[0]!.statuses.at(-1)!.state).toBe('inactive');
  });
});

describe('token hygiene', () => {
  it('never lets the token reach a request body, URL, response, log line or error message', async () => {
    const deps = wire(gh.double);
    const pr = gh.double.state.openPullRequest({ head: 'feature' });
    // A report that quotes the token (e.g. from a tool's output) must be redacted before sending.
    const leaky = `${MARKDOWN}\n## Output\n\n\`\`\`\nexport GITHUB_TOKEN=${TOKEN}\n\`\`\`\n`;
    await postPullRequestReview(deps, { report: buildReport({ head: gh.shas.feature }), markdown: leaky, pr: pr.number, headSha: gh.shas.feature });
    await requestApproval({ ...deps, store: new MemoryApprovalStore() }, { sha: gh.shas.main, mainBranch: 'main', label: 'risky', reasons: [`token ${TOKEN}`], markdown: leaky });
    await postPushReport(deps, { outcome: { sha: gh.shas.main, label: 'clean', targets: [{ kind: 'host', name: 'nas', result: 'failed', message: `auth ${TOKEN} rejected` }] } });
    await mirrorDeployRecord(deps, { target: { kind: 'host', name: 'nas' }, sha: gh.shas.main, state: 'failed', message: TOKEN });
    gh.double.inject({ operationId: 'pulls/get', kind: 'server-error', times: Infinity });
    const error = (await deps.github.getPullRequest(pr.number).catch((e: unknown) => e)) as Error;

    expect(gh.double.exchanges.length).toBeGreaterThan(10);
    for (const e of gh.double.exchanges) {
      expect(e.authorization).toBe(`token ${TOKEN}`);
      expect(JSON.stringify([e.url, e.requestBody, e.responseBody, e.responseHeaders, e.headers])).not.toContain(TOKEN);
    }
    expect(gh.double.state.comments[0]!.body).toContain('GITHUB_TOKEN=***');
    expect(deps.logger.lines.join('\n')).not.toContain(TOKEN);
    expect(`${error.message}\n${error.stack}`).not.toContain(TOKEN);
  });
});
