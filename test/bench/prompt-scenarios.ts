// Feeds the LLM prompt benchmark with real reviews: every demo scenario on the example homelab,
// and a shared-module change on the 30-host fleet. The "raw" side is what the prompt summarises:
// the git diff plus each changed host's unit listing and closure at both revisions.
import { readdir, readlink } from 'node:fs/promises';
import path from 'node:path';
import { FsCache } from '../../src/adapters/cache-fs.js';
import { openGitRepo } from '../../src/adapters/git-cli.js';
import { NixCli } from '../../src/adapters/nix/nix-cli.js';
import { defaultConfig, type StewardConfig } from '../../src/config/schema.js';
import { createHomelabRepo } from '../../src/demo/homelab-repo.js';
import { NOMAD_SCENARIOS } from '../../src/demo/nomad-scenarios.js';
import { applyEdit } from '../../src/demo/homelab-repo.js';
import { HOST_SCENARIOS } from '../../src/demo/scenarios.js';
import { silentLogger } from '../../src/ports/logger.js';
import { runReview } from '../../src/pipeline/review.js';
import { simpleGit } from 'simple-git';
import type { PromptScenario } from './llm-prompt.bench.js';
import type { Fleet } from './fleet-fixture.js';
import os from 'node:os';
import { mkdtemp } from 'node:fs/promises';
import { hclJobParser } from '../../src/adapters/hcl/parse-job-hcl.js';

const nix = new NixCli({ logger: silentLogger });

async function rawListing(toplevels: string[]): Promise<string> {
  const closures = await nix.closures(toplevels);
  const parts: string[] = [];
  for (const top of toplevels) {
    const unitsDir = path.join(top, 'etc/systemd/system');
    const units = await readdir(unitsDir).catch(() => [] as string[]);
    for (const unit of units) parts.push(`${unit} -> ${await readlink(path.join(unitsDir, unit)).catch(() => '?')}`);
    parts.push(...(closures[top] ?? []));
  }
  return parts.join('\n');
}

async function reviewToScenario(name: string, dir: string, head: string, config: StewardConfig, cacheDir: string): Promise<PromptScenario> {
  const git = await openGitRepo(dir);
  const { report, patch } = await runReview({ git, nix, cache: new FsCache(cacheDir), logger: silentLogger, hcl: hclJobParser }, { head, noBuild: false, config });
  const changed = report.changeSet.hosts.filter((h) => h.status !== 'unchanged');
  const toplevels = changed.flatMap((h) => [h.toplevel.base, h.toplevel.head]).filter((t): t is string => Boolean(t));
  return { name, changeSet: report.changeSet, rules: report.verdict.rules, patch, rawListing: await rawListing(toplevels) };
}

export async function promptScenarios(fleet: Fleet): Promise<PromptScenario[]> {
  const cacheDir = await mkdtemp(path.join(os.tmpdir(), 'steward-bench-prompt-'));
  const repo = await createHomelabRepo();
  const scenarios: PromptScenario[] = [];
  try {
    for (const s of [...HOST_SCENARIOS, ...NOMAD_SCENARIOS]) {
      const head = await repo.commit(s.message, s.edits);
      scenarios.push(await reviewToScenario(s.id === 'shared-module' ? 'shared-module (5 hosts)' : s.id, repo.dir, head, defaultConfig(), cacheDir));
    }
  } finally {
    await repo.remove();
  }
  // The same shared-module change on the 30-host fleet: the fleet-wide case.
  const shared = HOST_SCENARIOS.find((s) => s.id === 'shared-module')!;
  for (const edit of shared.edits) await applyEdit(fleet.dir, edit);
  const git = simpleGit({ baseDir: fleet.dir });
  await git.add('.').commit('common: more node metrics, tmux on every host');
  const head = (await git.revparse(['HEAD'])).trim();
  scenarios.push(await reviewToScenario(`fleet-wide shared-module (${fleet.hosts.length} hosts)`, fleet.dir, head, defaultConfig(), cacheDir));
  return scenarios;
}
