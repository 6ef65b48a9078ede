// `steward propose` hygiene against the GitHub double (Renovate's rules): one PR per topic found
// by its branch, updates in place, closed-without-merge never reopened, a human push respected,
// caps on open and new PRs, regeneration when the base moves, no PR for a failed build.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createProposalWorktrees } from '../../src/adapters/git-worktree/proposal-worktree.js';
import { SqliteProposalStore } from '../../src/adapters/store-sqlite/proposal-store.js';
import type { Proposal } from '../../src/agent/propose/proposal.js';
import { runPropose, type ProposeSettings } from '../../src/agent/propose/run-propose.js';
import { createHomelabRepo, type HomelabRepo } from '../../src/demo/homelab-repo.js';
import { buildReport, useSeededDouble, wire } from './fixtures.js';

const ctx = useSeededDouble();
let repo: HomelabRepo;
let store: SqliteProposalStore;
beforeEach(async () => {
  repo = await createHomelabRepo();
  store = new SqliteProposalStore({ file: ':memory:' });
});
afterEach(async () => {
  store.close();
  await repo.remove();
});

const IDENTITY = { name: 'Steward', email: 'steward@homelab.example' };

function imageProposal(tag: string, topic = 'image-postgres'): Proposal {
  return {
    kind: 'image-update',
    topic,
    title: `Update postgres to ${tag}`,
    rationale: 'A newer release within the same major version.',
    edits: [{ path: 'nomad/postgres.nomad', content: `job "postgres" { image = "postgres:${tag}" }\n` }],
    versionChanges: [{ name: 'postgres', from: '16.4', to: tag, paths: ['nomad/postgres.nomad'] }],
  };
}

async function propose(proposals: Proposal[], overrides: Partial<ProposeSettings> = {}, outcome: 'reviewed' | 'build-failed' = 'reviewed') {
  const { github, logger } = wire(ctx.double);
  const settings: ProposeSettings = { baseBranch: 'main', localBase: (await repo.git.revparse(['HEAD'])).trim(), identity: IDENTITY, maxOpen: 5, maxNewPerDay: 5, dryRun: false, ...overrides };
  return runPropose(
    { github, worktrees: createProposalWorktrees(repo.dir), store, review: async (base, head) => buildReport({ base, head, label: 'clean', outcome }), logger, now: () => new Date('2025-03-01T12:00:00Z') },
    settings,
    proposals,
  );
}

const pullsOf = (branch: string) => ctx.double.state.pulls.filter((p) => p.headRef === branch);

describe('runPropose', () => {
  it('opens one PR on steward/proposal/<topic>, authored by Steward, leaving main alone', async () => {
    const mainBefore = ctx.double.state.branch('main');
    const [outcome] = await propose([imageProposal('16.6')]);
    expect(outcome).toMatchObject({ result: 'opened', label: 'clean' });
    const [pr] = pullsOf('steward/proposal/image-postgres');
    expect(pr).toMatchObject({ state: 'open', baseRef: 'main', title: 'Update postgres to 16.6' });
    expect(pr!.body).toContain('## Classification: 🟢 clean');
    expect(pr!.body).toContain('| `postgres` | `16.4` | `16.6` |');
    const head = ctx.double.state.commits.get(ctx.double.state.branch('steward/proposal/image-postgres')!)!;
    expect(head.author).toEqual(IDENTITY);
    expect(head.parents).toEqual([mainBefore]);
    expect(ctx.double.state.branch('main')).toBe(mainBefore);
  });

  it('leaves an open, current proposal alone and updates it in place when the change differs', async () => {
    await propose([imageProposal('16.6')]);
    expect((await propose([imageProposal('16.6')]))[0]!.result).toBe('unchanged');
    const [updated] = await propose([imageProposal('16.7')]);
    expect(updated).toMatchObject({ result: 'updated' });
    expect(pullsOf('steward/proposal/image-postgres')).toHaveLength(1);
    expect(pullsOf('steward/proposal/image-postgres')[0]!.title).toBe('Update postgres to 16.7');
  });

  it('never reopens a proposal a person closed without merging', async () => {
    await propose([imageProposal('16.6')]);
    ctx.double.state.close(pullsOf('steward/proposal/image-postgres')[0]!);
    const [again] = await propose([imageProposal('16.6')]);
    expect(again).toMatchObject({ result: 'ignored' });
    expect(store.isIgnored('image-postgres', 'Update postgres to 16.6')).toBe(true);
    expect(pullsOf('steward/proposal/image-postgres')).toHaveLength(1);
    // A later version of the topic is a new proposal.
    expect((await propose([imageProposal('16.7')]))[0]!.result).toBe('opened');
  });

  it('respects a human push to the proposal branch', async () => {
    await propose([imageProposal('16.6')]);
    const branch = 'steward/proposal/image-postgres';
    const human = ctx.double.state.commitFiles({ 'nomad/postgres.nomad': 'tuned by hand\n' }, ctx.double.state.branch(branch)!, 'tweak', { name: 'Alice', email: 'alice@example.org' });
    ctx.double.state.setBranch(branch, human);
    const [outcome] = await propose([imageProposal('16.7')]);
    expect(outcome).toMatchObject({ result: 'human-edited' });
    expect(ctx.double.state.branch(branch)).toBe(human);
  });

  it('regenerates a proposal whose base branch moved on', async () => {
    await propose([imageProposal('16.6')]);
    const moved = ctx.double.state.commitFiles({ 'README.md': 'news\n' }, ctx.double.state.branch('main')!, 'unrelated');
    ctx.double.state.setBranch('main', moved);
    const [outcome] = await propose([imageProposal('16.6')]);
    expect(outcome).toMatchObject({ result: 'updated' });
    expect(ctx.double.state.commits.get(ctx.double.state.branch('steward/proposal/image-postgres')!)!.parents).toEqual([moved]);
  });

  it('caps open proposals and new ones per day', async () => {
    const outcomes = await propose([imageProposal('16.6', 'a'), imageProposal('16.6', 'b'), imageProposal('16.6', 'c')], { maxOpen: 2 });
    expect(outcomes.map((o) => o.result)).toEqual(['opened', 'opened', 'capped']);
    const daily = await propose([imageProposal('16.6', 'd')], { maxOpen: 10, maxNewPerDay: 2 });
    expect(daily[0]).toMatchObject({ result: 'capped', why: expect.stringContaining('maxNewPerDay') });
  });

  it('does not open a proposal that fails to build', async () => {
    const [outcome] = await propose([imageProposal('16.6')], {}, 'build-failed');
    expect(outcome).toMatchObject({ result: 'build-failed' });
    expect(pullsOf('steward/proposal/image-postgres')).toEqual([]);
    expect(ctx.double.state.branch('steward/proposal/image-postgres')).toBeUndefined();
  });
});
