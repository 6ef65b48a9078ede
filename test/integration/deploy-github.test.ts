// `steward deploy --github` against the GitHub double (held to GitHub's OpenAPI description): a
// risky commit is held with exit 5 and an approval PR; once a human merges it, the next run
// deploys exactly that commit and mirrors it as a GitHub Deployment.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { HOST_SCENARIOS } from '../../src/demo/scenarios.js';
import { approvalBranch } from '../../src/stages/gate/approval/approval-format.js';
import { startGitHubDouble, type GitHubDouble } from '../fakes/github-api/server.js';
import { TOKEN } from '../github/fixtures.js';
import { appliedCount, buildToplevels, readlinkIn, switchLog } from '../helpers/fixture-hosts.js';
import { createLab, target, type Lab } from '../helpers/deploy-lab.js';
import { describeWithNix } from '../helpers/nix.js';

describeWithNix('steward deploy --github', () => {
  let lab: Lab;
  let double: GitHubDouble;
  let held: string;
  let nas: string;

  beforeAll(async () => {
    lab = await createLab();
    held = await lab.commit('nas: second ssh port', HOST_SCENARIOS.find((s) => s.id === 'sshd-port')!.edits);
    nas = (await buildToplevels(lab.repo.dir, held, ['nas'])).nas!;
    double = await startGitHubDouble({ token: TOKEN });
    // The double's main branch is the held commit (its own tree: only history matters here).
    const root = double.state.commitFiles({ 'flake.nix': '{ }\n' }, null, 'init');
    double.state.commits.set(held, { sha: held, tree: double.state.commits.get(root)!.tree, parents: [root], message: 'nas: second ssh port', date: '2025-01-02T00:00:00Z' });
    double.state.setBranch('main', held);
  });
  afterAll(async () => {
    expect(double?.violations).toEqual([]);
    await double?.close();
    await lab?.close();
  });

  const env = () => ({ GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: double.state.fullName, STEWARD_GITHUB_API_URL: double.url, GITHUB_ACTIONS: '' });

  it('holds a risky commit with an approval PR, then deploys exactly that commit once the PR is merged', async () => {
    await lab.reset();
    const first = await lab.deploy(held, { env: env(), args: ['--github'] });
    expect(first.exitCode, first.stderr).toBe(5);
    expect(first.json).toMatchObject({ outcome: 'held', commits: [{ label: 'risky', approved: false }] });
    expect(target(first, 'host', 'nas')).toMatchObject({ result: 'held' });
    expect(double.state.pulls).toHaveLength(1);
    const pr = double.state.pulls[0]!;
    expect(pr).toMatchObject({ state: 'open', headRef: approvalBranch(held), baseRef: 'main' });
    expect((first.json?.commits as Array<{ approvalUrl?: string }>)[0]!.approvalUrl).toContain(`/pull/${pr.number}`);
    expect(double.state.checkRuns.find((c) => c.headSha === held)).toMatchObject({ conclusion: 'action_required' });
    expect(readlinkIn(lab.host('nas'), 'run/current-system')).toBe(lab.baseToplevels.nas);

    // The merge is a push to main: its head is the merge commit, whose first parent is the held commit.
    await new Octokit({ auth: TOKEN, baseUrl: double.url }).rest.pulls.merge({ owner: 'homelab', repo: 'infra', pull_number: pr.number });
    mkdirSync(path.join(lab.repo.dir, '.steward/approvals'), { recursive: true });
    const merged = await lab.commit('Merge the approval of the sshd change', [{ file: `.steward/approvals/${held}.md`, content: 'approved\n' }], held);
    double.state.commits.set(merged, { ...double.state.commits.get(held)!, sha: merged, parents: [held], message: 'merge' });
    const approved = await lab.deploy(merged, { env: env(), args: ['--github'] });
    expect(approved.exitCode, approved.stderr).toBe(0);
    expect(approved.json).toMatchObject({ outcome: 'deployed', commits: [{ head: held, approved: true, outcome: 'deployed' }, { head: merged, outcome: 'nothing-to-do' }] });
    expect(target(approved, 'host', 'nas')).toMatchObject({ result: 'verified' });
    expect(double.state.pulls).toHaveLength(1);
    expect(readlinkIn(lab.host('nas'), 'run/current-system')).toBe(nas);
    expect(appliedCount(lab.host('nas'), nas)).toBe(1);
    const deployment = double.state.deployments.find((d) => d.sha === held && d.environment === 'nixos/nas');
    expect(deployment?.statuses.at(-1)).toMatchObject({ state: 'success' });
    for (const output of [first.stdout, first.stderr, approved.stdout, approved.stderr]) expect(output).not.toContain(TOKEN);
  });

  it('does not deploy a late approval on its own when a later commit reverted it: the combined change is reviewed (last good never moves back)', async () => {
    await lab.reset();
    const sshd = HOST_SCENARIOS.find((s) => s.id === 'sshd-port')!.edits;
    const docs = HOST_SCENARIOS.find((s) => s.id === 'docs-only')!.edits;
    const onMain = (sha: string, parent: string) => {
      double.state.commits.set(sha, { ...double.state.commits.get(held)!, sha, parents: [parent], message: sha });
      double.state.setBranch('main', sha);
    };
    const late = await lab.commit('nas: second ssh port, with docs', [...sshd, ...docs]);
    onMain(late, held);
    const first = await lab.deploy(late, { env: env(), args: ['--github'] });
    expect(first.exitCode, first.stderr).toBe(5);
    const pr = double.state.pulls.find((p) => p.headRef === approvalBranch(late))!;
    expect(pr).toMatchObject({ state: 'open' });

    const revert = await lab.commit('Revert the second ssh port', sshd.map((e) => ({ ...e, find: e.replace, replace: e.find })), late);
    onMain(revert, late);
    const reverted = await lab.deploy(revert, { env: env(), args: ['--github'] });
    expect(reverted.exitCode, reverted.stderr).toBe(0);

    await new Octokit({ auth: TOKEN, baseUrl: double.url }).rest.pulls.merge({ owner: 'homelab', repo: 'infra', pull_number: pr.number });
    mkdirSync(path.join(lab.repo.dir, '.steward/approvals'), { recursive: true });
    const merged = await lab.commit('Merge the late approval', [{ file: `.steward/approvals/${late}.md`, content: 'approved\n' }], revert);
    onMain(merged, revert);
    const run = await lab.deploy(merged, { env: env(), args: ['--github'] });
    expect(run.exitCode, run.stderr).toBe(0);
    expect((run.json?.commits as Array<{ head: string }>).map((c) => c.head)).toEqual([merged]);
    expect(run.json).toMatchObject({ outcome: 'nothing-to-do' });
    expect(readlinkIn(lab.host('nas'), 'run/current-system')).toBe(lab.baseToplevels.nas);
    expect(switchLog(lab.host('nas'))).toEqual([]);
  }, 300_000);
});
