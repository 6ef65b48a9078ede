// GitPort over simple-git: read-only queries of a repository at given revisions, never touching
// the working tree (old revisions are read with `git show rev:path`).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';
import { GitError } from '../errors.js';
import { decodePathBytes, hasEscapedBytes } from './git-paths.js';
import { runProcessBytes } from './process/run-process.js';
import type { ChangedPath, GitPort } from '../ports/git.js';
import { readBlobs, type BlobRequest } from './git-blobs.js';

export async function openGitRepo(dir: string): Promise<GitPort> {
  const probe = simpleGit({ baseDir: path.resolve(dir) });
  let root: string;
  try {
    root = (await probe.revparse(['--show-toplevel'])).trim();
  } catch {
    throw new GitError(`${path.resolve(dir)} is not inside a git repository`);
  }
  return new GitCli(simpleGit({ baseDir: root, config: ['core.quotepath=off'] }), root);
}

/** Git's own reads are local and quick; a deadline only guards against a hung process. */
const GIT_TIMEOUT_MS = 300_000;

interface TreeEntry {
  type: string;
  oid: string;
}

class GitCli implements GitPort {
  private readonly trees = new Map<string, Promise<Map<string, TreeEntry>>>();

  constructor(
    private readonly git: SimpleGit,
    readonly root: string,
  ) {}

  async resolve(rev: string): Promise<string> {
    // `--quiet` makes rev-parse exit 1 with no output (simple-git then resolves with '').
    const sha = await this.git.raw(['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`]).then((out) => out.trim(), () => '');
    if (!/^[0-9a-f]{40,64}$/.test(sha)) {
      throw new GitError(
        `unknown revision '${rev}' in ${this.root}` +
          ((await this.isShallow()) ? ' (this is a shallow clone: fetch full history, e.g. actions/checkout with fetch-depth: 0)' : ''),
      );
    }
    return sha;
  }

  async mergeBase(a: string, b: string): Promise<string | null> {
    try {
      return (await this.git.raw(['merge-base', a, b])).trim() || null;
    } catch {
      return null;
    }
  }

  async firstParent(sha: string): Promise<string | null> {
    const [, parent] = (await this.git.raw(['rev-list', '--parents', '-n', '1', sha])).trim().split(/\s+/);
    return parent ?? null;
  }

  async changedPaths(base: string, head: string): Promise<ChangedPath[]> {
    // Bytes, decoded losslessly (paths need not be UTF-8); `-z` output is never quoted.
    const [raw, numstat] = await Promise.all([
      this.gitBytes(['diff', '--no-ext-diff', '--no-textconv', '-M', '--raw', '-z', base, head]),
      this.gitBytes(['diff', '--no-ext-diff', '--no-textconv', '-M', '--numstat', '-z', base, head]),
    ]);
    const counts = parseNumstat(decodePathBytes(numstat));
    return parseRaw(decodePathBytes(raw)).map((entry) => {
      const count = counts.get(entry.path) ?? { additions: 0, deletions: 0, binary: false };
      return { ...entry, ...count };
    });
  }

  async patch(base: string, head: string, paths: string[]): Promise<string> {
    if (paths.length === 0) return '';
    // A name that is not UTF-8 cannot be a pathspec argument: its diff is made from its objects.
    const plain = paths.filter((p) => !hasEscapedBytes(p));
    // `-a`: the repository's `.gitattributes` (`-diff`, `binary`) must not hide a text change.
    const parts = plain.length > 0 ? [await this.git.raw(['diff', '-a', '--no-ext-diff', '--no-textconv', '--no-color', '-M', '-U3', base, head, '--', ...plain])] : [];
    for (const file of paths.filter(hasEscapedBytes)) parts.push(await this.objectPatch(base, head, file));
    return parts.join('');
  }

  /** The diff of one file between two revisions from its objects, with headers naming the file. */
  private async objectPatch(base: string, head: string, file: string): Promise<string> {
    const [from, to] = [(await this.tree(base)).get(file), (await this.tree(head)).get(file)];
    if (from?.oid === to?.oid) return '';
    // An added or removed file is diffed against the empty blob (written once; git compares objects only).
    const empty = new TextDecoder().decode(await this.gitBytesWithInput(['hash-object', '-w', '-t', 'blob', '--stdin'], new Uint8Array())).trim();
    const out = decodePathBytes(await this.gitBytes(['diff', '-a', '--no-ext-diff', '--no-textconv', '--no-color', '-U3', from?.oid ?? empty, to?.oid ?? empty]));
    return out
      .replace(/^diff --git .*$/m, () => `diff --git a/${file} b/${file}`)
      .replace(/^--- .*$/m, () => (from ? `--- a/${file}` : '--- /dev/null'))
      .replace(/^\+\+\+ .*$/m, () => (to ? `+++ b/${file}` : '+++ /dev/null'));
  }

  readBlobs(requests: BlobRequest[]): Promise<(Uint8Array | null | undefined)[]> {
    return readBlobs(this.root, requests);
  }

  async show(rev: string, file: string): Promise<string | null> {
    // Looked up in the revision's tree by exact bytes, then read by object id: a name that is not
    // UTF-8 cannot travel as an argument. Absent from the tree is null; unreadable is an error.
    const entry = (await this.tree(rev)).get(file);
    if (entry === undefined) return null;
    if (entry.type !== 'blob') throw new GitError(`cannot read ${file} at ${rev.slice(0, 12)}: it is a ${entry.type}, not a file`);
    const content = await this.gitBytes(['cat-file', 'blob', entry.oid]).catch((error: unknown) => {
      throw new GitError(`cannot read ${file} at ${rev.slice(0, 12)}: ${(error as Error).message}`);
    });
    return new TextDecoder().decode(content);
  }

  async listFiles(rev: string): Promise<string[]> {
    return [...(await this.tree(rev)).keys()];
  }

  /** Every tracked path of a revision (bytes decoded losslessly) with its object, read once per revision. */
  private tree(rev: string): Promise<Map<string, TreeEntry>> {
    let cached = this.trees.get(rev);
    if (!cached) {
      cached = this.gitBytes(['ls-tree', '-r', '-z', '--full-tree', rev]).then((out) => parseLsTree(decodePathBytes(out)));
      cached.catch(() => this.trees.delete(rev));
      this.trees.set(rev, cached);
    }
    return cached;
  }

  private gitBytes(args: string[]): Promise<Uint8Array> {
    return this.gitBytesWithInput(args);
  }

  /** git with stdout as exact bytes; a failure is a GitError with git's own first line. */
  private async gitBytesWithInput(args: string[], input?: Uint8Array): Promise<Uint8Array> {
    const result = await runProcessBytes('git', ['-c', 'core.quotePath=off', ...args], { cwd: this.root, timeoutMs: GIT_TIMEOUT_MS, ...(input ? { input } : {}) });
    if (result.exitCode === 0) return result.stdout;
    const why = result.spawnError ?? (result.timedOut ? `timed out after ${GIT_TIMEOUT_MS / 1000} s` : result.stderr.trim().split('\n')[0] || `exit ${result.exitCode}`);
    throw new GitError(`git ${args[0]}: ${why}`);
  }

  async lacksHistory(base: string | null, head: string): Promise<boolean> {
    if (!(await this.isShallow())) return false;
    // `.git/shallow` lists the commits whose parents the clone cut off (they look like roots).
    const shallowFile = path.resolve(this.root, (await this.git.raw(['rev-parse', '--git-path', 'shallow'])).trim());
    const cut = new Set((await readFile(shallowFile, 'utf8').catch(() => '')).split('\n').filter(Boolean));
    if (base === null) return cut.has(head);
    const present = await this.git.raw(['cat-file', '-e', `${base}^{commit}`]).then(() => true, () => false);
    if (!present) return true;
    const range = (await this.git.raw(['rev-list', head, `^${base}`])).split('\n').filter(Boolean);
    return range.some((sha) => cut.has(sha));
  }

  async message(sha: string): Promise<string> {
    return (await this.git.raw(['log', '-1', '--format=%B', sha])).trimEnd();
  }

  private async isShallow(): Promise<boolean> {
    try {
      return (await this.git.raw(['rev-parse', '--is-shallow-repository'])).trim() === 'true';
    } catch {
      return false;
    }
  }
}

/** `git ls-tree -r -z`: `mode SP type SP oid TAB path\0`. */
export function parseLsTree(output: string): Map<string, TreeEntry> {
  const entries = new Map<string, TreeEntry>();
  for (const record of output.split('\0')) {
    const tab = record.indexOf('\t');
    if (tab < 0) continue;
    const [, type = '', oid = ''] = record.slice(0, tab).split(' ');
    entries.set(record.slice(tab + 1), { type, oid });
  }
  return entries;
}

type RawEntry = Omit<ChangedPath, 'additions' | 'deletions' | 'binary'>;

/** `git diff --raw -z`: `:mode mode sha sha STATUS\0path\0[path2\0]`. */
export function parseRaw(output: string): RawEntry[] {
  const fields = output.split('\0');
  const entries: RawEntry[] = [];
  for (let i = 0; i < fields.length; i++) {
    const meta = fields[i];
    if (!meta?.startsWith(':')) continue;
    const status = meta.split(' ').pop() ?? '';
    const first = fields[++i] ?? '';
    if (status.startsWith('R') || status.startsWith('C')) {
      const second = fields[++i] ?? '';
      entries.push(status.startsWith('R') ? { path: second, oldPath: first, status: 'renamed' } : { path: second, status: 'added' });
      continue;
    }
    entries.push({ path: first, status: status === 'A' ? 'added' : status === 'D' ? 'deleted' : 'modified' });
  }
  return entries;
}

/** `git diff --numstat -z`: `add\tdel\tpath\0`, or `add\tdel\t\0old\0new\0` for renames; `-` = binary. */
export function parseNumstat(output: string): Map<string, { additions: number; deletions: number; binary: boolean }> {
  const result = new Map<string, { additions: number; deletions: number; binary: boolean }>();
  const fields = output.split('\0');
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i];
    if (!field) continue;
    const [add, del, file] = field.split('\t');
    if (add === undefined || del === undefined) continue;
    let target = file ?? '';
    if (target === '') {
      i += 2; // rename: old path, then new path
      target = fields[i] ?? '';
    }
    const binary = add === '-';
    result.set(target, { additions: binary ? 0 : Number(add), deletions: binary ? 0 : Number(del), binary });
  }
  return result;
}
