// Memory right-sizing against the simulator: its allocation stats (`/v1/client/allocation/:id/stats`)
// report grafana far below its reservation; the proposal lowers that task's `memory =` only.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openGitRepo } from '../../src/adapters/git-cli.js';
import { createProposalWorktrees } from '../../src/adapters/git-worktree/proposal-worktree.js';
import { createNomadClient, type NomadClient } from '../../src/adapters/nomad-http/client.js';
import { planProposals } from '../../src/agent/propose/plan-proposals.js';
import { ProposeConfig } from '../../src/config/schema.js';
import { createHomelabRepo, type HomelabRepo } from '../../src/demo/homelab-repo.js';
import { Redactor } from '../../src/redact.js';
import { startSimulator, type Simulator } from '../../src/sim/simulator.js';
import { capturingLogger } from '../github/fixtures.js';
import { hclJobParser } from '../../src/adapters/hcl/parse-job-hcl.js';

describe('memory right-sizing', () => {
  let repo: HomelabRepo;
  let sim: Simulator;
  let nomad: NomadClient;
  beforeAll(async () => {
    repo = await createHomelabRepo();
    sim = await startSimulator({ scenario: 'empty', datacenter: 'home' });
    for (const job of ['grafana', 'whoami']) await sim.control.runJob(await readFile(path.join(repo.dir, 'nomad', `${job}.nomad`), 'utf8'), { instant: true });
    for (const alloc of sim.control.state.liveAllocs('grafana')) sim.control.setAllocMemoryUsage(String(alloc.wire.ID), 'grafana', 40);
    nomad = createNomadClient({ address: sim.nomadUrl, retries: 0 });
  });
  afterAll(async () => {
    nomad?.close();
    await sim?.close();
    await repo?.remove();
  });

  it('serves Nomad-shaped allocation stats', async () => {
    const alloc = sim.control.state.liveAllocs('grafana')[0]!;
    const memory = await nomad.allocationMemory(String(alloc.wire.ID));
    expect(memory).toEqual({ grafana: { rss: 40 * 1024 * 1024, maxUsage: 40 * 1024 * 1024 } });
  });

  it('proposes a smaller reservation for the over-reserved task and leaves the rest', async () => {
    const git = await openGitRepo(repo.dir);
    const base = await git.resolve('HEAD');
    const proposals = await planProposals(
      { git, hcl: hclJobParser, registry: { listTags: async () => [] }, worktrees: createProposalWorktrees(repo.dir), flakeUpdater: { updateInput: async () => {} }, nomad, logger: capturingLogger(new Redactor()) },
      { base, jobGlobs: ['nomad/*.nomad'], nixDir: '.', config: ProposeConfig.parse({ flakeInputs: 'none', images: false }) },
    );
    expect(proposals.map((p) => p.topic)).toEqual(['memory-grafana']);
    const [proposal] = proposals;
    expect(proposal!.versionChanges).toEqual([{ name: 'grafana grafana/grafana memory', from: '256 MiB', to: '64 MiB', paths: ['nomad/grafana.nomad'] }]);
    const before = await readFile(path.join(repo.dir, 'nomad/grafana.nomad'), 'utf8');
    const after = proposal!.edits[0]!.content;
    expect(after).toBe(before.replace(/(\n\s*memory\s*=\s*)256/, '$164'));
  });
});
