// The ChangeSet: a structured, serialisable description of what a change does. Stages after
// Analyze (classify, gate, report, the LLM prompt) read only this, never the raw world.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { stableJson } from '../json.js';
import { HostBuildError, HostChange } from './host-change.js';
import { JobChange } from './job-change.js';
import { JobFinding } from './nomad-job.js';
import { RepoChange } from './repo-change.js';

/**
 * `build`: toplevels were evaluated and built; `eval`: evaluated, not built (the same comparison
 * on evaluated values); `diff`: the textual diff alone.
 */
export const AnalysisLevel = z.enum(['build', 'eval', 'diff']);
export type AnalysisLevel = z.infer<typeof AnalysisLevel>;

export const ChangeSet = z
  .object({
    base: z.string(),
    head: z.string(),
    level: AnalysisLevel,
    /** Why this level: asked for, the default, no Nix, `--no-build`, or an error. */
    levelNote: z.string().optional(),
    hosts: z.array(HostChange),
    /** Nomad jobs added, removed or modified, with their live plan when a cluster answered. */
    jobs: z.array(JobChange),
    /** Static validation of the head's job files: an error blocks every deploy. */
    jobFindings: z.array(JobFinding),
    repo: RepoChange,
    /** Evaluation or build errors not tied to one host (e.g. a syntax error in flake.nix). */
    errors: z.array(HostBuildError.extend({ host: z.string().nullable() }).strict()),
  })
  .strict();
export type ChangeSet = z.infer<typeof ChangeSet>;

/** A stable digest of what the change does (not of when it was analysed), for caches and records. */
export function digestChangeSet(changeSet: ChangeSet): string {
  return createHash('sha256').update(stableJson(changeSet)).digest('hex');
}
