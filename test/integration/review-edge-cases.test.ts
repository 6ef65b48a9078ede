// Build-level edge cases on real Nix: self.rev in every toplevel, evaluation and build errors
// landing on the right host, caches, and old revisions built without touching the work tree.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { FsCache } from '../../src/adapters/cache-fs.js';
import { openGitRepo } from '../../src/adapters/git-cli.js';
import { NixCli } from '../../src/adapters/nix/nix-cli.js';
import { defaultConfig } from '../../src/config/schema.js';
import { createHomelabRepo, type HomelabRepo } from '../../src/demo/homelab-repo.js';
import { HOST_SCENARIOS } from '../../src/demo/scenarios.js';
import { MemoryCache, type CachePort } from '../../src/ports/cache.js';
import { silentLogger } from '../../src/ports/logger.js';
import { runReview } from '../../src/pipeline/review.js';
import { describeWithNix } from '../helpers/nix.js';
import { hclJobParser } from '../../src/adapters/hcl/parse-job-hcl.js';

describeWithNix('review edge cases on real Nix', () => {
  const repos: HomelabRepo[] = [];
  afterEach(async () => {
    for (const r of repos.splice(0)) await r.remove();
  });
  const newRepo = async () => {
    const r = await createHomelabRepo();
    repos.push(r);
    return r;
  };
  const review = async (repo: HomelabRepo, head: string, cache: CachePort = new MemoryCache(), workers?: number) => {
    const deps = { git: await openGitRepo(repo.dir), nix: new NixCli({ logger: silentLogger }), cache, logger: silentLogger, hcl: hclJobParser };
    return (await runReview(deps, { head, noBuild: false, config: defaultConfig(), ...(workers ? { workers } : {}) })).report;
  };
  const scenario = (id: string) => HOST_SCENARIOS.find((s) => s.id === id)!;

  it('stays right when self.rev changes every toplevel', async () => {
    const repo = await newRepo();
    await repo.commit('record the revision', [{ file: 'flake.nix', find: 'modules: import ./lib/eval-config.nix { inherit system hostName modules; };', replace: 'modules: import ./lib/eval-config.nix { inherit system hostName; modules = modules ++ [{ system.configurationRevision = self.rev or "dirty"; }]; };' }]);
    const docs = await review(repo, await repo.commit('docs', scenario('docs-only').edits));
    expect(docs.changeSet.hosts.every((h) => h.status === 'changed' && h.revisionOnly)).toBe(true);
    expect(docs.label).toBe('clean');
    expect(docs.verdict.rules.reasons[0]?.ruleId).toBe('host.revision-only');
    const leaf = await review(repo, await repo.commit('leaf', scenario('leaf-service').edits));
    expect(leaf.label).toBe('clean');
    expect(leaf.changeSet.hosts.filter((h) => !h.revisionOnly).map((h) => h.host)).toEqual(['node1']);
    expect(leaf.changeSet.hosts.find((h) => h.host === 'node1')?.units.map((u) => u.unit)).toEqual(['homepage.service']);
  });

  it('puts an undefined variable on its host, with file:line, and still analyses the others', async () => {
    const repo = await newRepo();
    const head = await repo.commit('typo', [
      { file: 'hosts/nas/default.nix', find: 'system.stateVersion = "24.11";', replace: 'system.stateVersion = stateVersoin;' },
      ...scenario('leaf-service').edits,
    ]);
    const report = await review(repo, head);
    expect(report.outcome).toBe('build-failed');
    expect(report.label).toBe('risky');
    const nas = report.changeSet.hosts.find((h) => h.host === 'nas');
    expect(nas).toMatchObject({ status: 'failed', error: { phase: 'eval', revision: 'head', file: 'hosts/nas/default.nix', line: 32 } });
    expect(nas?.error?.lines[0]).toContain("undefined variable 'stateVersoin'");
    expect(report.changeSet.hosts.find((h) => h.host === 'node1')?.units.map((u) => u.unit)).toEqual(['homepage.service']);
  });

  it('reports a thrown option error on its host', async () => {
    const repo = await newRepo();
    const head = await repo.commit('bad option', [{ file: 'hosts/desk/default.nix', find: '  services.tailscale.enable = true;', replace: '  services.tailscale.enable = true;\n  boot.kernelParams = [ (throw "The option `boot.kernelParms\' does not exist.") ];' }]);
    const desk = (await review(repo, head)).changeSet.hosts.find((h) => h.host === 'desk');
    expect(desk).toMatchObject({ status: 'failed', error: { phase: 'eval' } });
    expect(desk?.error?.lines.join('\n')).toContain("The option `boot.kernelParms' does not exist.");
  });

  it('reports a build failure with the builder log on the host that needs it', async () => {
    const repo = await newRepo();
    const head = await repo.commit('broken wrapper', [
      {
        file: 'hosts/nas/backup.nix',
        find: 'script = "exec ${pkgs.restic}/bin/restic backup /export/media /var/lib/postgresql";',
        replace: 'script = "exec ${pkgs.mkDerivation { name = "restic-wrapper"; script = "echo wrapper.c:3: error: expected semicolon >&2; exit 1"; }} backup";',
      },
    ]);
    const report = await review(repo, head);
    expect(report.outcome).toBe('build-failed');
    const nas = report.changeSet.hosts.find((h) => h.host === 'nas');
    expect(nas).toMatchObject({ status: 'failed', error: { phase: 'build', revision: 'head' } });
    expect(nas?.error?.lines.join('\n')).toContain('wrapper.c:3: error: expected semicolon');
  });

  it('reports a broken flake.nix as a flake-level error at its line', async () => {
    const repo = await newRepo();
    const head = await repo.commit('broken flake', [{ file: 'flake.nix', find: 'nas = mkHost "nas" [ ./hosts/nas ];', replace: 'nas = mkHost "nas" [ ./hosts/nas ]' }]);
    const report = await review(repo, head);
    expect(report.outcome).toBe('build-failed');
    expect(report.changeSet.errors[0]).toMatchObject({ host: null, phase: 'eval', revision: 'head', file: 'flake.nix' });
  });

  it('reuses cached drvPaths of earlier runs and evaluates in at most one process per worker', async () => {
    const repo = await newRepo();
    const cache = new FsCache(await mkdtemp(path.join(os.tmpdir(), 'steward-cache-')));
    const head = await repo.commit('leaf', scenario('leaf-service').edits);
    const first = await review(repo, head, cache, 2);
    expect(first.stats).toMatchObject({ evalProcesses: 2, baseFromCache: false });
    const second = await review(repo, head, cache, 2);
    expect(second.stats).toMatchObject({ evalProcesses: 0, baseFromCache: true });
    expect(second.label).toBe(first.label);
    const next = await review(repo, await repo.commit('docs', scenario('docs-only').edits), cache, 2);
    expect(next.stats).toMatchObject({ baseFromCache: true, toplevelsBuilt: 0 });
  });

  it('builds old revisions without touching the working tree', async () => {
    const repo = await newRepo();
    const head = await repo.commit('kernel', scenario('kernel-bump').edits);
    const file = path.join(repo.dir, 'hosts/desk/default.nix');
    await writeFile(file, `${await readFile(file, 'utf8')}# local edit, not committed\n`);
    const before = await repo.git.status();
    const report = await review(repo, head);
    expect(report.label).toBe('needs-reboot');
    expect((await repo.git.status()).files).toEqual(before.files);
    expect(await readFile(file, 'utf8')).toContain('# local edit, not committed');
  });
});
