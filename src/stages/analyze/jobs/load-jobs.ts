// Loads every Nomad job of a revision: discover files by glob among the tracked paths, read them
// through the GitPort (no checkout), parse and normalise. Bad files become findings, not throws.
import type { JobFinding, NomadJob } from '../../../model/nomad-job.js';
import type { GitPort } from '../../../ports/git.js';
import type { HclJobParser } from '../../../ports/hcl.js';
import { mapLimit } from '../../../concurrency.js';
import { discoverJobFiles } from '../../detect/discover-job-files.js';
import { normaliseJobFile } from './normalise-job.js';

export interface JobSource {
  path: string;
  content: string;
}

export interface ParsedJobs {
  files: string[];
  jobs: NomadJob[];
  /** Parse errors (with line and column) and normalisation issues, as findings. */
  findings: JobFinding[];
}

export interface LoadedJobs extends ParsedJobs {
  rev: string;
}

/** Takes any GitPort; only `listFiles` and `show` are used. */
export async function loadJobsAtRevision(git: Pick<GitPort, 'listFiles' | 'show'>, hcl: HclJobParser, rev: string, globs: string[]): Promise<LoadedJobs> {
  const files = discoverJobFiles(await git.listFiles(rev), globs);
  const sources = await mapLimit(files, 8, async (path) => ({ path, content: await git.show(rev, path) }));
  const present = sources.filter((s): s is JobSource => s.content !== null);
  return { rev, ...(await parseJobSources(present, hcl)) };
}

/** Parses and normalises job files given as text (also used for fixtures and benchmarks). */
export async function parseJobSources(sources: JobSource[], hcl: HclJobParser): Promise<ParsedJobs> {
  const jobs: NomadJob[] = [];
  const findings: JobFinding[] = [];
  // One at a time: the parser is a single WASM instance, and parallel calls only queue inside it.
  for (const { path, content } of sources) {
    const parsed = await hcl.parseJob(path, content);
    if (!parsed.ok) {
      for (const e of parsed.errors) {
        findings.push({ severity: 'error', code: 'parse-error', message: e.message, file: e.file, line: e.line, column: e.column });
      }
      continue;
    }
    const normalised = normaliseJobFile(parsed.body, path, parsed.outline);
    jobs.push(...normalised.jobs);
    findings.push(...normalised.issues);
  }
  return { files: sources.map((s) => s.path), jobs, findings };
}
