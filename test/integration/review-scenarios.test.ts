// Every demo scenario reviewed for real: real git commits, real Nix evaluation and builds of the
// example homelab, at build level and at diff level, with the exact label and key reasons.
import os from 'node:os';
import path from 'node:path';
import { mkdtemp } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FsCache } from '../../src/adapters/cache-fs.js';
import { openGitRepo } from '../../src/adapters/git-cli.js';
import { NixCli } from '../../src/adapters/nix/nix-cli.js';
import { parseConfigText } from '../../src/config/load.js';
import { createHomelabRepo, EXAMPLE_HOMELAB, type HomelabRepo } from '../../src/demo/homelab-repo.js';
import { NOMAD_SCENARIOS } from '../../src/demo/nomad-scenarios.js';
import { HOST_SCENARIOS } from '../../src/demo/scenarios.js';
import { silentLogger } from '../../src/ports/logger.js';
import { runReview } from '../../src/pipeline/review.js';
import { readFileSync } from 'node:fs';
import { describeWithNix } from '../helpers/nix.js';
import { hclJobParser } from '../../src/adapters/hcl/parse-job-hcl.js';

const SCENARIOS = [...HOST_SCENARIOS, ...NOMAD_SCENARIOS];

describeWithNix('review of the demo scenarios', () => {
  let repo: HomelabRepo;
  const shas = new Map<string, string>();
  let cacheDir: string;
  const config = parseConfigText(readFileSync(path.join(EXAMPLE_HOMELAB, 'steward.json'), 'utf8'), 'steward.json');

  beforeAll(async () => {
    repo = await createHomelabRepo();
    cacheDir = await mkdtemp(path.join(os.tmpdir(), 'steward-cache-'));
    for (const scenario of SCENARIOS) shas.set(scenario.id, await repo.commit(scenario.message, scenario.edits));
  });
  afterAll(() => repo?.remove());

  const review = async (head: string, noBuild: boolean) => {
    const git = await openGitRepo(repo.dir);
    const deps = { git, nix: new NixCli({ logger: silentLogger }), cache: new FsCache(cacheDir), logger: silentLogger, hcl: hclJobParser };
    return (await runReview(deps, { head, noBuild, config })).report;
  };

  for (const scenario of SCENARIOS) {
    it(`labels "${scenario.id}" ${scenario.expect.label} at build level, with its key reasons`, async () => {
      const report = await review(shas.get(scenario.id) as string, false);
      expect(report.level).toBe('build');
      expect(report.outcome).toBe(scenario.expect.outcome ?? 'reviewed');
      expect(report.changeSet.jobs.map((j) => j.job).sort()).toEqual([...(scenario.expect.changedJobs ?? [])].sort());
      expect(report.label).toBe(scenario.expect.label);
      expect(report.changeSet.hosts.filter((h) => h.status !== 'unchanged').map((h) => h.host).sort()).toEqual([...scenario.expect.changedHosts].sort());
      for (const expected of scenario.expect.reasons) {
        const reasons = report.verdict.rules.reasons.filter((r) => r.ruleId === expected.ruleId);
        expect(reasons, `reason ${expected.ruleId}`).not.toHaveLength(0);
        const cited = new Set(reasons.flatMap((r) => r.evidence.map((e) => e.host)));
        for (const host of expected.hosts ?? []) expect(cited, `${expected.ruleId} cites ${host}`).toContain(host);
      }
    });

    it(`labels "${scenario.id}" ${scenario.expect.label} from the diff alone`, async () => {
      const report = await review(shas.get(scenario.id) as string, true);
      expect(report.level).toBe('diff');
      expect(report.changeSet.levelNote).toBe('diff only: --no-build');
      expect(report.label).toBe(scenario.expect.label);
    });
  }
});
