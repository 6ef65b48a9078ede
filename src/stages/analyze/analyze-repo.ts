// Repository-level analysis from git alone: changed files and their kinds, option-level signals
// from Nix hunks, flake input bumps, secret files (never read) and docs-only changes. This is the
// whole analysis when Nix is unavailable, and runs beside the build-level analysis otherwise.
import type { FileChange, RepoChange } from '../../model/repo-change.js';
import type { ChangedPath, GitPort } from '../../ports/git.js';
import { isCosmeticChange, nixSignals, parsePatchLines, type FileTexts, type PatchedLine } from './diff/diff-signals.js';
import { buildFileClassifier, gitCryptPatterns, type FileRules } from './diff/file-kinds.js';
import { diffFlakeLock } from './diff/flake-lock.js';
import { signalsForReadFiles, type NixSource } from './diff/files-read-by-nix.js';
import { declaredOptions, followCustomOptions } from './diff/custom-options.js';
import { followImports, isImportSignal } from './diff/imports.js';
import { isEncryptedEnvelope } from './diff/encrypted-envelope.js';
import { decodeText } from './diff/text-content.js';
import { buildModuleGraph, type ModuleGraph } from './diff/module-graph.js';
import type { DiffSignal } from '../../model/repo-change.js';

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
  // Content is read as bytes and judged here: git's own binary guess follows the repository's
  // `.gitattributes`, which the reviewed commit itself may have changed to hide a file.
  const contents = await readContents(git, input.base, input.head, changed.filter((c) => kinds.get(c.path) !== 'secret'));
  const textOf = new Map<string, FileTexts>();
  const unreadable = new Set<string>();
  for (const [path, sides] of contents) {
    if (sides === 'unreadable') unreadable.add(path);
    else if (sides === 'encrypted') kinds.set(path, 'secret');
    else textOf.set(path, sides);
  }
  const readable = changed.filter((c) => textOf.has(c.path));
  const patch = await git.patch(input.base, input.head, readable.flatMap((c) => (c.oldPath ? [c.oldPath, c.path] : [c.path])));
  const patchedLines = parsePatchLines(patch);

  const files: FileChange[] = changed.map((c) => toFileChange(c, kinds.get(c.path) ?? 'other', classifier.hosts(c.path), textOf.get(c.path), unreadable.has(c.path)));
  const linesOf = groupByFile(patchedLines);
  let signals = files
    .filter((f) => f.kind === 'nix' && !f.cosmetic)
    .flatMap((f) => {
      const lines = [...(linesOf.get(f.path) ?? []), ...(f.oldPath && f.oldPath !== f.path ? (linesOf.get(f.oldPath) ?? []) : [])];
      return nixSignals(f.path, lines, textOf.get(f.path) ?? { base: null, head: null }, f.hosts);
    });
  // The repository's Nix files at each revision, read only when a change needs them (and kept
  // per commit: a commit's files never change).
  const sourcesAt = (rev: string) => cachedPerCommit(`${git.root}\u0000${rev}\u0000sources`, () => nixSourcesAt(git, rev, classifier));
  const hostRules = JSON.stringify([input.rules.hostPaths, input.knownHosts]);
  const graphAt = (rev: string) =>
    cachedPerCommit(`${git.root}\u0000${rev}\u0000graph\u0000${hostRules}`, async () =>
      buildModuleGraph(new Map((await sourcesAt(rev)).map((s) => [s.path, s.text])), (path) => classifier.hosts(path)),
    );
  const readByNix = files.filter((f) => f.kind === 'other' && f.status !== 'deleted' && !f.cosmetic);
  if (readByNix.length > 0) signals.push(...signalsForReadFiles(readByNix, await sourcesAt(input.head)));
  if (signals.some(isImportSignal)) {
    const tree = async (rev: string) => new Map((await sourcesAt(rev)).map((s) => [s.path, s.text]));
    signals = followImports(signals, { added: await tree(input.head), removed: await tree(input.base) });
  }
  if (signals.length > 0) signals = followCustomOptions(signals, declaredOptions(await sourcesAt(input.head)));
  if (signals.length > 0) {
    const removedSide = signals.some((s) => s.side === 'removed');
    const head = await graphAt(input.head);
    signals = nameHosts(signals, { added: head, removed: removedSide ? await graphAt(input.base) : head });
  }
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

/**
 * Each signal names the hosts whose module graph reaches its file (at the signal's side), with
 * the references followed to the first of them; a file no known host reaches keeps the hosts
 * its path gave.
 */
function nameHosts(signals: DiffSignal[], graphs: Record<DiffSignal['side'], ModuleGraph>): DiffSignal[] {
  return signals.map((signal) => {
    const reach = graphs[signal.side].reach(signal.file);
    const first = reach[0];
    if (!first) return signal;
    const via = first.via.length > 0 ? `${first.host}: ${[...first.via, signal.file].join(' → ')}` : undefined;
    return { ...signal, hosts: [...new Set(reach.map((r) => r.host))].sort(), ...(via ? { via } : {}) };
  });
}

// Per-commit results (a commit's files never change): the last few commits' Nix sources and
// module graphs, so reviewing the same commit again does not read and parse the tree again.
const perCommit = new Map<string, Promise<unknown>>();
const PER_COMMIT_MAX = 8;

function cachedPerCommit<T>(key: string, compute: () => Promise<T>): Promise<T> {
  // Only a full object id names fixed content (a ref or an abbreviation can move).
  if (!/\u0000[0-9a-f]{40,64}\u0000/.test(key)) return compute();
  let value = perCommit.get(key) as Promise<T> | undefined;
  if (value) {
    perCommit.delete(key);
    perCommit.set(key, value);
    return value;
  }
  value = compute();
  perCommit.set(key, value);
  value.catch(() => perCommit.delete(key));
  if (perCommit.size > PER_COMMIT_MAX) perCommit.delete(perCommit.keys().next().value as string);
  return value;
}

/** Every Nix file at a revision, for the files they read by path. */
async function nixSourcesAt(git: GitPort, rev: string, classifier: { hosts(path: string): string[] }): Promise<NixSource[]> {
  const paths = (await git.listFiles(rev)).filter((p) => p.endsWith('.nix'));
  const blobs = await git.readBlobs(paths.map((path) => ({ rev, path })));
  return paths.flatMap((path, i) => {
    const text = decodeText(blobs[i]);
    return typeof text === 'string' ? [{ path, text, hosts: classifier.hosts(path) }] : [];
  });
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

/**
 * Both sides of every file as text; 'encrypted' when a side is an encrypted envelope (sops, age:
 * a secret whatever its name), 'unreadable' when a side is not UTF-8 text.
 */
async function readContents(git: GitPort, base: string, head: string, files: ChangedPath[]): Promise<Map<string, FileTexts | 'unreadable' | 'encrypted'>> {
  const requests = files.flatMap((c) => [
    ...(c.status === 'added' ? [] : [{ rev: base, path: c.oldPath ?? c.path }]),
    ...(c.status === 'deleted' ? [] : [{ rev: head, path: c.path }]),
  ]);
  const blobs = await git.readBlobs(requests);
  const result = new Map<string, FileTexts | 'unreadable' | 'encrypted'>();
  let next = 0;
  for (const c of files) {
    const sides = [c.status === 'added' ? null : blobs[next++], c.status === 'deleted' ? null : blobs[next++]];
    if (sides.some((bytes) => bytes && isEncryptedEnvelope(bytes))) {
      result.set(c.path, 'encrypted');
      continue;
    }
    const [base, head] = sides.map(decodeText) as [string | null | undefined, string | null | undefined];
    result.set(c.path, base === undefined || head === undefined ? 'unreadable' : { base, head });
  }
  return result;
}

function toFileChange(c: ChangedPath, kind: FileChange['kind'], hosts: string[], texts: FileTexts | undefined, unreadable: boolean): FileChange {
  return {
    path: c.path,
    ...(c.oldPath ? { oldPath: c.oldPath } : {}),
    status: c.status,
    kind,
    additions: c.additions,
    deletions: c.deletions,
    hosts,
    cosmetic: texts ? isCosmeticChange(c.path, texts) : false,
    ...(unreadable ? { unreadable: true } : {}),
  };
}
