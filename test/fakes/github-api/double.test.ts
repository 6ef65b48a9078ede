// The double holds both sides to GitHub's OpenAPI description: these tests prove it notices when
// a request or a response does not match, so a green suite means something.
import { Octokit } from '@octokit/rest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sharedContract } from './contract.js';
import { DOUBLE_ROUTES, startGitHubDouble, type GitHubDouble } from './server.js';

// Null (after a loud notice) when ../shared/contracts is absent: the contract tests skip.
const contract = sharedContract();

const TOKEN = 'ghs_DoubleSelfTestToken0123456789abcdef';
let double: GitHubDouble;
let octokit: Octokit;
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

beforeEach(async () => {
  double = await startGitHubDouble({ token: TOKEN });
  const sha = double.state.commitFiles({ 'a.txt': 'a' }, null);
  double.state.setBranch('main', sha);
  octokit = new Octokit({ auth: TOKEN, baseUrl: double.url, log: quiet });
});

afterEach(async () => {
  await double.close();
});

describe('GitHub API double', () => {
  it.skipIf(!contract)('records a violation when a request body has a wrong type or an unknown key', async () => {
    await expect(octokit.request('POST /repos/{owner}/{repo}/check-runs', { owner: 'homelab', repo: 'infra', name: 'x', head_sha: 42, colour: 'red' } as never)).rejects.toMatchObject({ status: 422 });
    expect(double.violations.map((v) => v.message).join('\n')).toMatch(/head_sha must be string[\s\S]*unknown body property colour/);
  });

  it.skipIf(!contract)('records a violation for an unknown query parameter and a bad path parameter', async () => {
    await expect(octokit.request('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', { owner: 'homelab', repo: 'infra', issue_number: 'abc', sort: 'x' } as never)).rejects.toMatchObject({ status: 422 });
    const messages = double.violations.map((v) => `${v.where}: ${v.message}`);
    expect(messages).toContain('query: unknown query parameter sort');
    expect(messages.some((m) => m.startsWith('path: issue_number=abc'))).toBe(true);
  });

  it('answers 401 to a wrong token', async () => {
    const intruder = new Octokit({ auth: 'ghs_wrongwrongwrongwrongwrong0000', baseUrl: double.url, log: quiet });
    await expect(intruder.rest.pulls.get({ owner: 'homelab', repo: 'infra', pull_number: 1 })).rejects.toMatchObject({ status: 401 });
  });

  it('paginates comments with Link headers that Octokit follows', async () => {
    const pr = double.state.openPullRequest({ head: 'main' });
    for (let i = 0; i < 75; i++) double.state.addComment(pr.number, `c${i}`, double.state.user('alice'));
    const all = await octokit.paginate(octokit.rest.issues.listComments, { owner: 'homelab', repo: 'infra', issue_number: pr.number, per_page: 30 });
    expect(all.map((c) => c.body)).toEqual(Array.from({ length: 75 }, (_, i) => `c${i}`));
    expect(double.calls('issues/list-comments')).toHaveLength(3);
    expect(double.violations).toEqual([]);
  });
});

describe.skipIf(!contract)('GitHubContract', () => {
  const c = contract!;

  it('names the routes of the double with the operationIds of the description', () => {
    // A route without one still works here (the description names it); it only matters without ../shared.
    for (const route of DOUBLE_ROUTES.filter((r) => r.operationId)) expect(`${route.method} ${route.template} ${c.operation(route.method, route.template).operationId}`).toBe(`${route.method} ${route.template} ${route.operationId}`);
  });

  it('rejects a response that misses a required field', () => {
    const contract = c;
    const op = contract.operation('PATCH', '/repos/{owner}/{repo}/issues/comments/{comment_id}');
    const problems = contract.validateResponse(op, 200, { id: 1, body: 'x' });
    expect(problems[0]?.message).toMatch(/must have required property/);
  });

  it('accepts GitHub error bodies on undocumented error statuses, but not undocumented successes', () => {
    const contract = c;
    const op = contract.operation('POST', '/repos/{owner}/{repo}/check-runs');
    expect(contract.validateResponse(op, 403, { message: 'Resource not accessible by integration' })).toEqual([]);
    expect(contract.validateResponse(op, 202, {})).toHaveLength(1);
  });
});
