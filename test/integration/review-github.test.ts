// `steward review --github` end to end: the built CLI posts to the local GitHub double (held to
// GitHub's OpenAPI description): one sticky comment edited in place, a check on the reviewed commit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHomelabRepo, type HomelabRepo } from '../../src/demo/homelab-repo.js';
import { HOST_SCENARIOS } from '../../src/demo/scenarios.js';
import { stickyMarker } from '../../src/stages/report/github/sticky-comment.js';
import { startGitHubDouble, type GitHubDouble } from '../fakes/github-api/server.js';
import { TOKEN } from '../github/fixtures.js';
import { runCli } from '../helpers/cli.js';

describe('steward review --github', () => {
  let repo: HomelabRepo;
  let double: GitHubDouble;
  let head: string;
  beforeAll(async () => {
    repo = await createHomelabRepo();
    head = await repo.commit('homepage title', HOST_SCENARIOS[0]!.edits);
    double = await startGitHubDouble({ token: TOKEN });
    const base = double.state.commitFiles({ 'flake.nix': '{ }\n' }, null, 'init');
    double.state.setBranch('main', base);
    // The PR's head is the commit Steward reviews locally.
    double.state.commits.set(head, { sha: head, tree: double.state.commits.get(base)!.tree, parents: [base], message: 'homepage title', date: '2025-01-01T00:00:00Z' });
    double.state.setBranch('feature', head);
  });
  afterAll(async () => {
    expect(double.violations).toEqual([]);
    await double.close();
    await repo.remove();
  });

  const review = (pr: number) =>
    runCli(['review', '--repo', repo.dir, '--head', head, '--no-build', '--llm', 'off', '--github', '--pr', String(pr)], {
      env: { GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: double.state.fullName, STEWARD_GITHUB_API_URL: double.url, GITHUB_ACTIONS: '' },
    });

  it('posts one sticky comment and a check, and edits the comment on the next run', async () => {
    const pr = double.state.openPullRequest({ head: 'feature' });
    const first = await review(pr.number);
    expect(first.exitCode, first.stderr).toBe(0);
    const second = await review(pr.number);
    expect(second.exitCode, second.stderr).toBe(0);
    const comments = double.state.comments.filter((c) => c.issue === pr.number);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain(stickyMarker(pr.number));
    expect(comments[0]!.body).toContain('clean');
    expect(double.state.checkRuns.filter((c) => c.headSha === head).length).toBeGreaterThanOrEqual(1);
    for (const output of [first.stdout, first.stderr, second.stdout, second.stderr]) expect(output).not.toContain(TOKEN);
  });

  it('writes nothing for a pull request from a fork', async () => {
    const pr = double.state.openPullRequest({ head: 'feature', fork: { repo: 'mallory/homelab', sha: head }, association: 'NONE', user: double.state.user('mallory') });
    const result = await review(pr.number);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain(`nothing posted to PR #${pr.number}`);
    expect(double.state.comments.filter((c) => c.issue === pr.number)).toHaveLength(0);
  });
});
