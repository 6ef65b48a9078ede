// Approval by PR merge against the double: open, update, merge (approve exactly the SHA), close
// (reject, never proposed again), and a stale SHA that left main's history.
import { Octokit } from '@octokit/rest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryApprovalStore } from '../../src/ports/approval-store.js';
import { approvalBranch, approvalFilePath } from '../../src/stages/gate/approval/approval-format.js';
import { evaluateApproval, requestApproval, type ApprovalDeps } from '../../src/stages/gate/approval/approval-flow.js';
import { startGitHubDouble, type GitHubDouble } from '../fakes/github-api/server.js';
import { MARKDOWN, TOKEN, wire } from './fixtures.js';

let double: GitHubDouble;
let deps: ApprovalDeps & { store: MemoryApprovalStore };
let human: Octokit;
let held: string;
const repo = { owner: 'homelab', repo: 'infra' };

function texts(sha: string, markdown = MARKDOWN) {
  return { sha, mainBranch: 'main', label: 'risky', reasons: ['`risky` sshd.service restarts on nas'], markdown };
}

function fileOnBranch(branch: string, path: string): string | undefined {
  const { state } = double;
  const commit = state.commits.get(state.branch(branch)!)!;
  const entry = state.trees.get(commit.tree)!.get(path);
  return entry ? state.blobs.get(entry.sha)!.toString('utf8') : undefined;
}

beforeEach(async () => {
  double = await startGitHubDouble({ token: TOKEN });
  const root = double.state.commitFiles({ 'flake.nix': '{ }\n' }, null, 'init');
  held = double.state.commitFiles({ 'hosts/nas/default.nix': 'sshd\n' }, root, 'risky change');
  double.state.setBranch('main', held);
  const wired = wire(double);
  deps = { ...wired, store: new MemoryApprovalStore(), now: () => new Date('2025-02-01T00:00:00Z') };
  human = new Octokit({ auth: TOKEN, baseUrl: double.url });
});

afterEach(async () => {
  expect(double.violations).toEqual([]);
  await double.close();
});

describe('requestApproval', () => {
  it('opens a PR from steward/approve/<short-sha> adding the full report, without a checkout', async () => {
    const result = await requestApproval(deps, texts(held));
    expect(result.kind).toBe('opened');
    const pr = double.state.pulls[0]!;
    expect(pr).toMatchObject({ headRef: approvalBranch(held), baseRef: 'main', state: 'open' });
    expect(pr.body).toContain(`<!-- steward:approval sha=${held} -->`);
    expect(fileOnBranch(approvalBranch(held), approvalFilePath(held))).toContain('sshd restarts on nas');
    // The request commit sits on top of main: merging it changes nothing but the approval file.
    expect(double.state.commits.get(double.state.branch(approvalBranch(held))!)!.parents).toEqual([held]);
    expect(await deps.store.get(held)).toMatchObject({ state: 'requested', pr: pr.number });
  });

  it('leaves an unchanged request alone and updates the same PR when the report changed', async () => {
    await requestApproval(deps, texts(held));
    const writes = () => double.exchanges.filter((e) => e.method !== 'GET').length;
    const before = writes();
    expect((await requestApproval(deps, texts(held))).kind).toBe('unchanged');
    expect(writes()).toBe(before);
    const updated = await requestApproval(deps, { ...texts(held, `${MARKDOWN}\n## Extra\n\nnew finding\n`), reasons: ['`risky` sshd', '`risky` firewall'] });
    expect(updated.kind).toBe('updated');
    expect(double.state.pulls).toHaveLength(1);
    expect(fileOnBranch(approvalBranch(held), approvalFilePath(held))).toContain('new finding');
    expect(double.calls('git/update-ref').at(-1)!.requestBody).toContain('"force":true');
  });
});

describe('evaluateApproval', () => {
  it('is pending while the PR is open, and approves exactly the SHA once it is merged', async () => {
    const opened = await requestApproval(deps, texts(held));
    expect(await evaluateApproval(deps, { sha: held, mainBranch: 'main' })).toMatchObject({ kind: 'pending' });
    const number = opened.kind === 'decided' ? 0 : opened.pr.number;
    await human.rest.pulls.merge({ ...repo, pull_number: number });
    expect(double.state.branch('main')).not.toBe(held);
    const decision = await evaluateApproval(deps, { sha: held, mainBranch: 'main' });
    expect(decision).toEqual({ kind: 'approved', sha: held, pr: number, action: 'deploy' });
    expect(await deps.store.get(held)).toMatchObject({ state: 'approved', pr: number });
    // Asking again for an approved commit opens nothing new.
    expect(await requestApproval(deps, texts(held))).toMatchObject({ kind: 'decided', decision: { kind: 'approved' } });
    expect(double.state.pulls).toHaveLength(1);
  });

  it('records a close without merge as a rejection and never proposes the commit again', async () => {
    const opened = await requestApproval(deps, texts(held));
    await human.rest.pulls.update({ ...repo, pull_number: opened.kind === 'decided' ? 0 : opened.pr.number, state: 'closed' });
    expect(await evaluateApproval(deps, { sha: held, mainBranch: 'main' })).toMatchObject({ kind: 'rejected' });
    expect(await deps.store.get(held)).toMatchObject({ state: 'rejected' });
    expect(await requestApproval(deps, texts(held))).toMatchObject({ kind: 'decided', decision: { kind: 'rejected' } });
    expect(double.state.pulls).toHaveLength(1);
    expect(double.calls('pulls/create')).toHaveLength(1);
  });

  it('refuses the approval of a SHA that left main (force push) and re-evaluates the newest main', async () => {
    const opened = await requestApproval(deps, texts(held));
    const parent = double.state.commits.get(held)!.parents[0]!;
    const rewritten = double.state.commitFiles({ 'hosts/nas/default.nix': 'other\n' }, parent, 'rewritten history');
    double.state.setBranch('main', rewritten);
    await human.rest.pulls.merge({ ...repo, pull_number: opened.kind === 'decided' ? 0 : opened.pr.number });
    const decision = await evaluateApproval(deps, { sha: held, mainBranch: 'main' });
    expect(decision).toMatchObject({ kind: 'stale', action: 're-evaluate', mainHead: double.state.branch('main') });
    expect(await deps.store.get(held)).toMatchObject({ state: 'stale' });
  });

  it('says missing when no approval was requested', async () => {
    expect(await evaluateApproval(deps, { sha: held, mainBranch: 'main' })).toEqual({ kind: 'missing', sha: held });
  });
});
