// The flake-input proposer with real Nix: the example homelab gets a local `git+file:` input,
// locked; the input's repository gains a commit; `nix flake update <input>` in a throwaway
// worktree yields one proposal whose flake.lock moves that input, and the checkout is untouched.
// Two more inputs in a configured group are updated together in one worktree and one proposal.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { simpleGit } from 'simple-git';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createProposalWorktrees } from '../../src/adapters/git-worktree/proposal-worktree.js';
import { createFlakeInputUpdater } from '../../src/adapters/nix-flake/flake-input-updater.js';
import { parseRootInputs, planFlakeInputUpdates } from '../../src/agent/propose/flake-inputs.js';
import { proposalBranch } from '../../src/agent/propose/proposal.js';
import { createHomelabRepo, type HomelabRepo } from '../../src/demo/homelab-repo.js';
import { Redactor } from '../../src/redact.js';
import { capturingLogger } from '../github/fixtures.js';
import { describeWithNix } from '../helpers/nix.js';

describeWithNix('flake input proposals', () => {
  let repo: HomelabRepo;
  const upstreams: Record<string, string> = {};
  let base: string;
  const updater = () => createFlakeInputUpdater({ command: 'nix', extraArgs: [], env: process.env, timeoutMs: 120_000, redactor: new Redactor() });
  beforeAll(async () => {
    for (const name of ['motd', 'alpha', 'beta']) {
      const dir = await mkdtemp(path.join(os.tmpdir(), `steward-flake-input-${name}-`));
      const git = simpleGit({ baseDir: dir });
      await git.init();
      await git.addConfig('user.name', 'Upstream').addConfig('user.email', 'upstream@example.org').addConfig('commit.gpgsign', 'false');
      await writeFile(path.join(dir, name), 'v1\n');
      await git.add('.').commit('v1');
      upstreams[name] = dir;
    }
    repo = await createHomelabRepo();
    const flake = path.join(repo.dir, 'flake.nix');
    const inputs = Object.entries(upstreams).map(([name, dir]) => `inputs.${name} = { url = "git+file://${dir}"; flake = false; };\n`).join('');
    const text = (await readFile(flake, 'utf8')).replace('outputs = { self }:', `${inputs}\n  outputs = { self, ... }:`);
    await writeFile(flake, text);
    for (const name of Object.keys(upstreams)) await updater().updateInput(repo.dir, name);
    base = await repo.commit('add the motd, alpha and beta inputs', []);
    // Upstream moves on.
    for (const [name, dir] of Object.entries(upstreams)) {
      await writeFile(path.join(dir, name), 'v2\n');
      await simpleGit({ baseDir: dir }).add('.').commit('v2');
    }
  }, 300_000);
  afterAll(async () => {
    await repo?.remove();
    for (const dir of Object.values(upstreams)) await rm(dir, { recursive: true, force: true });
  });

  it('proposes the input at its new revision, one proposal per input', async () => {
    const lockText = await repo.git.show([`${base}:flake.lock`]);
    const before = parseRootInputs(lockText)!;
    expect(before.map((i) => i.name)).toEqual(['alpha', 'beta', 'motd']);
    const logger = capturingLogger(new Redactor());
    const proposals = await planFlakeInputUpdates({ worktrees: createProposalWorktrees(repo.dir), updater: updater(), logger }, { base, lockText, nixDir: '.', inputs: ['motd'] });
    expect(proposals).toHaveLength(1);
    const [proposal] = proposals;
    expect(proposal).toMatchObject({ kind: 'flake-input', topic: 'flake-motd', title: 'Update flake input motd' });
    const after = parseRootInputs(proposal!.edits[0]!.content)!;
    const motd = (list: typeof before) => list.find((i) => i.name === 'motd')!;
    expect(motd(after).version).not.toBe(motd(before).version);
    expect(proposal!.versionChanges).toEqual([{ name: 'motd', from: motd(before).version, to: motd(after).version, paths: ['flake.lock'] }]);
    // No other input moves with it.
    expect(after.filter((i) => i.name !== 'motd')).toEqual(before.filter((i) => i.name !== 'motd'));
    // The person's checkout is untouched and no worktree is left behind.
    expect(await readFile(path.join(repo.dir, 'flake.lock'), 'utf8')).toBe(lockText);
    expect((await repo.git.raw(['worktree', 'list'])).trim().split('\n')).toHaveLength(1);
  }, 300_000);

  it('updates a configured group together in one proposal, the rest one per input', async () => {
    const lockText = await repo.git.show([`${base}:flake.lock`]);
    const before = parseRootInputs(lockText)!;
    const logger = capturingLogger(new Redactor());
    const proposals = await planFlakeInputUpdates(
      { worktrees: createProposalWorktrees(repo.dir), updater: updater(), logger },
      { base, lockText, nixDir: '.', inputs: 'all', groups: { pair: ['alpha', 'beta', 'not-in-the-lock'] } },
    );
    expect(proposals.map((p) => p.topic)).toEqual(['flake-pair', 'flake-motd']);
    const group = proposals[0]!;
    expect(group).toMatchObject({ kind: 'flake-input', title: 'Update flake input group pair' });
    expect(proposalBranch(group.topic)).toBe('steward/proposal/flake-pair');
    const after = parseRootInputs(group.edits[0]!.content)!;
    const version = (list: typeof before, name: string) => list.find((i) => i.name === name)!.version;
    expect(group.versionChanges).toEqual(
      ['alpha', 'beta'].map((name) => ({ name, from: version(before, name), to: version(after, name), paths: ['flake.lock'] })),
    );
    for (const name of ['alpha', 'beta']) {
      expect(version(after, name)).not.toBe(version(before, name));
      expect(group.rationale).toContain(`\`${name}\`: ${version(before, name)} → ${version(after, name)}`);
    }
    // The input outside the group stays where it was in the group's lock.
    expect(version(after, 'motd')).toBe(version(before, 'motd'));
    expect(proposals[1]!.versionChanges.map((c) => c.name)).toEqual(['motd']);
    expect((await repo.git.raw(['worktree', 'list'])).trim().split('\n')).toHaveLength(1);
  }, 300_000);
});
