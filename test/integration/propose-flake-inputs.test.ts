// The flake-input proposer with real Nix: the example homelab gets a local `git+file:` input,
// locked; the input's repository gains a commit; `nix flake update <input>` in a throwaway
// worktree yields one proposal whose flake.lock moves that input, and the checkout is untouched.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { simpleGit } from 'simple-git';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createProposalWorktrees } from '../../src/adapters/git-worktree/proposal-worktree.js';
import { createFlakeInputUpdater } from '../../src/adapters/nix-flake/flake-input-updater.js';
import { parseRootInputs, planFlakeInputUpdates } from '../../src/agent/propose/flake-inputs.js';
import { createHomelabRepo, type HomelabRepo } from '../../src/demo/homelab-repo.js';
import { Redactor } from '../../src/redact.js';
import { capturingLogger } from '../github/fixtures.js';
import { describeWithNix } from '../helpers/nix.js';

describeWithNix('flake input proposals', () => {
  let repo: HomelabRepo;
  let inputDir: string;
  let base: string;
  beforeAll(async () => {
    inputDir = await mkdtemp(path.join(os.tmpdir(), 'steward-flake-input-'));
    const input = simpleGit({ baseDir: inputDir });
    await input.init();
    await input.addConfig('user.name', 'Upstream').addConfig('user.email', 'upstream@example.org').addConfig('commit.gpgsign', 'false');
    await writeFile(path.join(inputDir, 'motd'), 'v1\n');
    await input.add('.').commit('v1');
    repo = await createHomelabRepo();
    const flake = path.join(repo.dir, 'flake.nix');
    const text = (await readFile(flake, 'utf8')).replace('outputs = { self }:', `inputs.motd = { url = "git+file://${inputDir}"; flake = false; };\n\n  outputs = { self, ... }:`);
    await writeFile(flake, text);
    const lock = await createFlakeInputUpdater({ command: 'nix', extraArgs: [], env: process.env, timeoutMs: 120_000, redactor: new Redactor() });
    await lock.updateInput(repo.dir, 'motd');
    base = await repo.commit('add the motd input', []);
    // Upstream moves on.
    await writeFile(path.join(inputDir, 'motd'), 'v2\n');
    await input.add('.').commit('v2');
  }, 300_000);
  afterAll(async () => {
    await repo?.remove();
    await rm(inputDir, { recursive: true, force: true });
  });

  it('proposes the input at its new revision, one proposal per input', async () => {
    const lockText = await repo.git.show([`${base}:flake.lock`]);
    const before = parseRootInputs(lockText)!;
    expect(before.map((i) => i.name)).toEqual(['motd']);
    const logger = capturingLogger(new Redactor());
    const proposals = await planFlakeInputUpdates(
      { worktrees: createProposalWorktrees(repo.dir), updater: createFlakeInputUpdater({ command: 'nix', extraArgs: [], env: process.env, timeoutMs: 120_000, redactor: new Redactor() }), logger },
      { base, lockText, nixDir: '.', inputs: 'all' },
    );
    expect(proposals).toHaveLength(1);
    const [proposal] = proposals;
    expect(proposal).toMatchObject({ kind: 'flake-input', topic: 'flake-motd', title: 'Update flake input motd' });
    const after = parseRootInputs(proposal!.edits[0]!.content)!;
    expect(after[0]!.version).not.toBe(before[0]!.version);
    expect(proposal!.versionChanges[0]).toMatchObject({ name: 'motd', from: before[0]!.version, to: after[0]!.version, paths: ['flake.lock'] });
    // The person's checkout is untouched and no worktree is left behind.
    expect(await readFile(path.join(repo.dir, 'flake.lock'), 'utf8')).toBe(lockText);
    expect((await repo.git.raw(['worktree', 'list'])).trim().split('\n')).toHaveLength(1);
  }, 300_000);
});
