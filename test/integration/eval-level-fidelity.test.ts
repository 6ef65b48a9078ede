// Evaluation level is held to the build level, not assumed equal: every demo scenario is reviewed
// at both levels on real Nix, and the label, the hosts that change and each host's unit actions
// (and boot, mount and /etc signals) must be the same.
import os from 'node:os';
import path from 'node:path';
import { mkdtemp } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FsCache } from '../../src/adapters/cache-fs.js';
import { openGitRepo } from '../../src/adapters/git-cli.js';
import { NixCli } from '../../src/adapters/nix/nix-cli.js';
import { parseConfigText } from '../../src/config/load.js';
import { createHomelabRepo, EXAMPLE_HOMELAB, type HomelabRepo } from '../../src/demo/homelab-repo.js';
import { NOMAD_SCENARIOS } from '../../src/demo/nomad-scenarios.js';
import { HOST_SCENARIOS } from '../../src/demo/scenarios.js';
import type { AnalysisLevel } from '../../src/model/changeset.js';
import type { HostChange } from '../../src/model/host-change.js';
import { silentLogger } from '../../src/ports/logger.js';
import { runReview } from '../../src/pipeline/review.js';
import { describeWithNix } from '../helpers/nix.js';
import { hclJobParser } from '../../src/adapters/hcl/parse-job-hcl.js';

const SCENARIOS = [...HOST_SCENARIOS, ...NOMAD_SCENARIOS];

/** What must not differ between the levels, per host. */
function signals(h: HostChange) {
  return {
    host: h.host,
    status: h.status,
    units: Object.fromEntries(h.units.map((u) => [u.unit, `${u.change}:${u.action}${u.critical ? ':critical' : ''}${u.stateful ? ':stateful' : ''}`])),
    boot: Object.keys(h.boot).sort(),
    mounts: h.mounts.map((m) => `${m.mountPoint}:${m.change}`),
    etc: h.etc,
    revisionOnly: h.revisionOnly,
  };
}

describeWithNix('evaluation level equals build level on every demo scenario', () => {
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

  const review = async (head: string, level: AnalysisLevel) => {
    const git = await openGitRepo(repo.dir);
    const deps = { git, nix: new NixCli({ logger: silentLogger }), cache: new FsCache(cacheDir), hcl: hclJobParser, logger: silentLogger };
    return (await runReview(deps, { head, noBuild: false, level, config })).report;
  };

  for (const scenario of SCENARIOS) {
    it(`"${scenario.id}": same label and unit actions at evaluation and build level`, async () => {
      const sha = shas.get(scenario.id) as string;
      const atEval = await review(sha, 'eval');
      const atBuild = await review(sha, 'build');
      expect(atEval.level).toBe('eval');
      expect(atEval.stats.toplevelsBuilt).toBe(0);
      expect(atEval.changeSet.levelNote).toMatch(/^evaluation level/);
      expect(atBuild.level).toBe('build');
      expect(atEval.label).toBe(atBuild.label);
      expect(atEval.label).toBe(scenario.expect.label);
      expect(atEval.changeSet.hosts.map(signals)).toEqual(atBuild.changeSet.hosts.map(signals));
      const ruleIds = (r: typeof atEval) => [...new Set(r.verdict.rules.reasons.filter((x) => x.ruleId !== 'packages.changed' && x.ruleId !== 'host.revision-only').map((x) => x.ruleId))].sort();
      expect(ruleIds(atEval)).toEqual(ruleIds(atBuild));
    });
  }

  it('keeps one host\'s evaluation error on that host and analyses the others at evaluation level', async () => {
    const head = await repo.commit('bad option on desk, kernel params on nas', [
      { file: 'hosts/desk/default.nix', find: '  services.tailscale.enable = true;', replace: '  services.tailscale.enable = true;\n  boot.kernelParams = [ (throw "The option `boot.kernelParms\' does not exist.") ];' },
      { file: 'hosts/nas/default.nix', find: '  boot.initrd.availableKernelModules = [ "ahci"', replace: '  boot.kernelParams = [ "quiet" ];\n  boot.initrd.availableKernelModules = [ "ahci"' },
    ]);
    const report = await review(head, 'eval');
    const desk = report.changeSet.hosts.find((h) => h.host === 'desk');
    expect(desk).toMatchObject({ status: 'failed', error: { phase: 'eval', revision: 'head' } });
    expect(desk?.error?.lines.join('\n')).toContain("The option `boot.kernelParms' does not exist.");
    const nas = report.changeSet.hosts.find((h) => h.host === 'nas');
    expect(nas?.status, JSON.stringify(nas?.error)).toBe('changed');
    expect(Object.keys(nas?.boot ?? {})).toContain('kernelParams');
    expect(report.label).toBe('risky');
  });
});
