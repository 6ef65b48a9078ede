// `steward propose`, the plan half: reads the job files at the base commit, asks the registries
// for tags, and returns the deterministic proposals. Writes nothing; `--dry-run` stops after the build.
import path from 'node:path';
import type { ProposeConfig } from '../../config/schema.js';
import type { FlakeInputUpdater } from '../../ports/flake-input-updater.js';
import type { ProposalWorktreePort } from '../../ports/proposal-worktree.js';
import type { NomadPort } from '../../ports/nomad.js';
import { loadJobsAtRevision } from '../../stages/analyze/jobs/load-jobs.js';
import { planFlakeInputUpdates } from './flake-inputs.js';
import { KNOWLEDGE_DIR, planKnowledgeProposal, type LearnedEntry } from './knowledge-proposal.js';
import { planMemoryRightsizing, type TaskPeak } from './memory-rightsizing.js';
import { mapLimit } from '../../concurrency.js';
import type { GitPort } from '../../ports/git.js';
import type { HclJobParser } from '../../ports/hcl.js';
import type { ImageRegistryPort } from '../../ports/image-registry.js';
import type { Logger } from '../../ports/logger.js';
import { discoverJobFiles } from '../../stages/detect/discover-job-files.js';
import { findImageUses, planImageUpdates, type JobFile } from './image-updates.js';
import type { Proposal } from './proposal.js';

export interface PlanDeps {
  git: Pick<GitPort, 'listFiles' | 'show'>;
  /** Reads the job files, for memory right-sizing. */
  hcl: HclJobParser;
  registry: ImageRegistryPort;
  worktrees: ProposalWorktreePort;
  flakeUpdater: FlakeInputUpdater;
  /** Knowledge entries agent sessions learned, newest first (from the session records). */
  learned?: () => LearnedEntry[];
  /** The live cluster, when one is configured: memory right-sizing reads its allocation stats. */
  nomad?: AllocationMemoryReader;
  logger: Logger;
}

export interface AllocationMemoryReader {
  jobAllocations: NomadPort['jobAllocations'];
  /** Memory per task of a running allocation, in bytes; null when it is not running. */
  allocationMemory(allocId: string): Promise<Record<string, { rss: number; maxUsage: number }> | null>;
}

export async function planProposals(deps: PlanDeps, input: { base: string; jobGlobs: string[]; nixDir: string; config: ProposeConfig }): Promise<Proposal[]> {
  const proposals: Proposal[] = [];
  const { flakeInputs } = input.config;
  if (flakeInputs !== 'none') {
    const lockText = await deps.git.show(input.base, path.posix.join(input.nixDir, 'flake.lock'));
    proposals.push(...(await planFlakeInputUpdates({ worktrees: deps.worktrees, updater: deps.flakeUpdater, logger: deps.logger }, { base: input.base, lockText, nixDir: input.nixDir, inputs: flakeInputs, groups: input.config.flakeInputGroups })));
  }
  if (input.config.images) proposals.push(...(await planImageProposals(deps, input.base, input.jobGlobs)));
  if (input.config.memory && deps.nomad) proposals.push(...(await planMemoryProposals(deps, deps.nomad, input.base, input.jobGlobs)));
  if (input.config.knowledge && deps.learned) {
    const learned = deps.learned();
    const existing = new Map<string, string | null>();
    for (const { entry } of learned) {
      const file = `${KNOWLEDGE_DIR}/${entry.topic}.md`;
      if (!existing.has(file)) existing.set(file, await deps.git.show(input.base, file));
    }
    const knowledge = planKnowledgeProposal(learned, existing);
    if (knowledge) proposals.push(knowledge);
  }
  return proposals;
}

async function planMemoryProposals(deps: PlanDeps, nomad: AllocationMemoryReader, base: string, globs: string[]): Promise<Proposal[]> {
  const loaded = await loadJobsAtRevision(deps.git, deps.hcl, base, globs);
  const peaks = new Map<string, TaskPeak[]>();
  for (const job of loaded.jobs) {
    try {
      const running = (await nomad.jobAllocations(job.id)).value.filter((a) => a.clientStatus === 'running');
      const byTask = new Map<string, TaskPeak>();
      for (const alloc of running) {
        for (const [task, memory] of Object.entries((await nomad.allocationMemory(alloc.id)) ?? {})) {
          const key = `${alloc.taskGroup}/${task}`;
          const peak = byTask.get(key) ?? { group: alloc.taskGroup, task, peakBytes: 0, allocations: 0 };
          byTask.set(key, { ...peak, peakBytes: Math.max(peak.peakBytes, memory.maxUsage, memory.rss), allocations: peak.allocations + 1 });
        }
      }
      peaks.set(job.id, [...byTask.values()]);
    } catch (error) {
      deps.logger.warn(`no allocation stats for ${job.id}: ${(error as Error).message}`);
    }
  }
  const files = new Map<string, string>();
  for (const job of loaded.jobs) if (!files.has(job.file)) files.set(job.file, (await deps.git.show(base, job.file)) ?? '');
  return planMemoryRightsizing(loaded.jobs, files, peaks);
}

async function planImageProposals(deps: PlanDeps, base: string, globs: string[]): Promise<Proposal[]> {
  const paths = discoverJobFiles(await deps.git.listFiles(base), globs);
  const files = (await mapLimit(paths, 8, async (path) => ({ path, text: await deps.git.show(base, path) }))).filter((f): f is JobFile => f.text !== null);
  const repositories = [...new Set(findImageUses(files).map((u) => u.repository))].sort();
  const tags = new Map<string, string[]>();
  await mapLimit(repositories, 4, async (repository) => {
    try {
      tags.set(repository, await deps.registry.listTags(repository));
    } catch (error) {
      // One unreachable registry or private image must not stop the other proposals.
      deps.logger.warn(`no tags for ${repository}: ${(error as Error).message}`);
    }
  });
  return planImageUpdates(files, tags);
}
