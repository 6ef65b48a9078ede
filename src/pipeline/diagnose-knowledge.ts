// Loads the failure knowledge: Steward's own `goals/knowledge/failures/*.md` and the homelab
// repository's `.steward/knowledge/**.md` from main's COMMITTED tree (never a working tree or a
// pull request's head), parsed into signature -> strategy mappings. Bad blocks are reported, not fatal.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { mainCommit, repoDocs, type Doc } from '../agent/session/context/knowledge.js';
import type { GitPort } from '../ports/git.js';
import { parseFailureMappings, type FailureMapping } from '../stages/diagnose/knowledge-mappings.js';

export interface FailureKnowledge {
  repo: FailureMapping[];
  steward: FailureMapping[];
  /** Invalid blocks, with where they are: reported in the deploy's log and record. */
  problems: string[];
  /** The documents themselves (for the LLM's prompt). */
  docs: Doc[];
}

export async function loadFailureKnowledge(input: { goalsDir: string; git?: GitPort; mainBranch: string }): Promise<FailureKnowledge> {
  const dir = path.join(input.goalsDir, 'knowledge', 'failures');
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.md')).sort();
  const own: Doc[] = await Promise.all(names.map(async (n) => ({ source: `goals/knowledge/failures/${n}`, text: await readFile(path.join(dir, n), 'utf8') })));
  let theirs: Doc[] = [];
  const problems: string[] = [];
  if (input.git) {
    try {
      theirs = await repoDocs(input.git, await mainCommit(input.git, input.mainBranch), '.steward/knowledge');
    } catch (error) {
      problems.push(`the repository's .steward/knowledge could not be read: ${(error as Error).message}`);
    }
  }
  const steward = parseFailureMappings(own);
  const repo = parseFailureMappings(theirs.filter((d) => d.text.includes('```steward-failure')));
  return { repo: repo.mappings, steward: steward.mappings, problems: [...problems, ...steward.problems, ...repo.problems], docs: [...theirs.filter((d) => d.text.includes('```steward-failure')), ...own] };
}
