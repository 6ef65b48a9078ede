// Repository-level analysis from git alone: changed files and their kinds, option-level signals
// from Nix hunks, flake input bumps, secret files (never read) and docs-only changes. This is the
// whole analysis when Nix is unavailable, and runs beside the build-level analysis otherwise.
import type { FileChange, RepoChange } from '../../model/repo-change.js';
import { mapLimit } from '../../concurrency.js';
import type { ChangedPath, GitPort } from '../../ports/git.js';
import { isCosmeticChange, nixSignals, parsePatchLines, type FileTexts, type PatchedLine } from './diff/diff-signals.js';
import { buildFileClassifier, gitCryptPatterns, type FileRules } from './diff/file-kinds.js';
import { diffFlakeLock } from './diff/flake-lock.js';

export interface RepoAnalysis {
  repo: RepoChange;
  /** The textual diff of every non-secret text file (untrusted data, for prompts and reports). */
  patch: string;
}

export async function analyzeRepo(
  deps: { git: GitPort },
  input: { base: string; head: string; rules: Omit<FileRules, 'gitCrypt'>; knownHosts: string[] },
): Promise<RepoAnalysis> {
  const { git } = deps;
  const changed = await git.changedPaths(input.base, input.head);
  const classifier = buildFileClassifier({ ...input.rules, gitCrypt: gitCryptPatterns(await git.show(input.head, '.gitattributes')) }, input.knownHosts);
  const kinds = new Map(changed.map((c) => [c.path, classifier.kind(c.path)]));
  const readable = changed.filter((c) => kinds.get(c.path) !== 'secret' && !c.binary);
  const patch = await git.patch(input.base, input.head, readable.flatMap((c) => (c.oldPath ? [c.oldPath, c.path] : [c.path])));
  const patchedLines = parsePatchLines(patch);

  const texts = await mapLimit(readable, 8, async (c): Promise<[string, FileTexts]> => [
    c.path,
    {
      base: c.status === 'added' ? null : await git.show(input.base, c.oldPath ?? c.path),
      head: c.status === 'deleted' ? null : await git.show(input.head, c.path),
    },
  ]);
  const textOf = new Map(texts);

  const files: FileChange[] = changed.map((c) => toFileChange(c, kinds.get(c.path) ?? 'other', classifier.hosts(c.path), textOf.get(c.path)));
  const linesOf = groupByFile(patchedLines);
  const signals = files
    .filter((f) => f.kind === 'nix' && !f.cosmetic)
    .flatMap((f) => {
      const lines = [...(linesOf.get(f.path) ?? []), ...(f.oldPath && f.oldPath !== f.path ? (linesOf.get(f.oldPath) ?? []) : [])];
      return nixSignals(f.path, lines, textOf.get(f.path) ?? { base: null, head: null }, f.hosts);
    });
  const inputs = files
    .filter((f) => f.kind === 'lock')
    .flatMap((f) => diffFlakeLock(textOf.get(f.path)?.base ?? null, textOf.get(f.path)?.head ?? null));

  return {
    repo: {
      files,
      signals,
      inputs,
      secrets: files.filter((f) => f.kind === 'secret').map((f) => f.path),
      docsOnly: files.length > 0 && files.every((f) => f.kind === 'docs'),
    },
    patch,
  };
}

/** Patched lines by file, in one pass (filtering per file was quadratic on large diffs). */
function groupByFile(lines: PatchedLine[]): Map<string, PatchedLine[]> {
  const byFile = new Map<string, PatchedLine[]>();
  for (const line of lines) {
    const group = byFile.get(line.file);
    if (group) group.push(line);
    else byFile.set(line.file, [line]);
  }
  return byFile;
}

function toFileChange(c: ChangedPath, kind: FileChange['kind'], hosts: string[], texts: FileTexts | undefined): FileChange {
  return {
    path: c.path,
    ...(c.oldPath ? { oldPath: c.oldPath } : {}),
    status: c.status,
    kind,
    additions: c.additions,
    deletions: c.deletions,
    hosts,
    cosmetic: texts ? isCosmeticChange(c.path, texts) : false,
  };
}
