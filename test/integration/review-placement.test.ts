// A job the cluster cannot place (its datacenter does not exist: "0 nodes evaluated") is risky:
// `steward review` plans it against the Nomad simulator, which answers like Nomad does
// (FailedTGAllocs with an AllocationMetric), and the rule `job.placement-failed` carries the reason.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHomelabRepo, type HomelabRepo } from '../../src/demo/homelab-repo.js';
import { startSimulator, type Simulator } from '../../src/sim/simulator.js';
import { runCli } from '../helpers/cli.js';

describe('review: a Nomad job that cannot be placed', () => {
  let dir: string;
  let repo: HomelabRepo;
  let sim: Simulator;
  let base: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'steward-placement-'));
    repo = await createHomelabRepo({ parent: dir });
    base = (await repo.git.revparse(['HEAD'])).trim();
    sim = await startSimulator({ scenario: 'empty', datacenter: 'home', clock: 'manual' });
    await sim.control.runJob(await repo.git.show([`${base}:nomad/whoami.nomad`]), { instant: true });
  });
  afterAll(async () => {
    await sim?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const review = (head: string) =>
    runCli(['review', '--repo', repo.dir, '--base', base, '--head', head, '--no-build', '--llm', 'off', '--no-cache', '--json'], { env: { NOMAD_ADDR: sim.nomadUrl, GITHUB_ACTIONS: '' } });

  it('labels a job moved to a datacenter that does not exist risky with the plan\'s reason', async () => {
    const head = await repo.commit('whoami: to the lab datacenter', [{ file: 'nomad/whoami.nomad', find: 'datacenters = ["home"]', replace: 'datacenters = ["lab"]' }]);
    const run = await review(head);
    const report = JSON.parse(run.stdout) as { verdict: { label: string; rules: { reasons: Array<{ ruleId: string; label: string; message: string }> } } };
    expect(report.verdict.label, run.stderr).toBe('risky');
    const reason = report.verdict.rules.reasons.find((r) => r.ruleId === 'job.placement-failed');
    expect(reason).toMatchObject({ label: 'risky' });
    expect(reason!.message).toMatch(/job whoami cannot be placed by the cluster's plan: whoami: no node in the job's datacenters \(the cluster has home\); 0 nodes evaluated/);
  });

  it('leaves a job that the cluster can place alone', async () => {
    await repo.git.checkout(['-q', '--detach', base]);
    const head = await repo.commit('whoami: patch', [{ file: 'nomad/whoami.nomad', find: 'traefik/whoami:v1.10.3', replace: 'traefik/whoami:v1.10.4' }]);
    const run = await review(head);
    const report = JSON.parse(run.stdout) as { verdict: { label: string; rules: { reasons: Array<{ ruleId: string }> } } };
    expect(report.verdict.rules.reasons.map((r) => r.ruleId)).not.toContain('job.placement-failed');
  });
});
