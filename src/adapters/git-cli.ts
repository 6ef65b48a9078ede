// GitPort over simple-git: read-only queries of a repository at given revisions, never touching
// the working tree (old revisions are read with `git show rev:path`).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';
import { GitError } from '../errors.js';
import type { ChangedPath, GitPort } from '../ports/git.js';

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

class GitCli implements GitPort {
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
    const [raw, numstat] = await Promise.all([
      this.git.raw(['diff', '--no-ext-diff', '-M', '--raw', '-z', base, head]),
      this.git.raw(['diff', '--no-ext-diff', '-M', '--numstat', '-z', base, head]),
    ]);
    const counts = parseNumstat(numstat);
    return parseRaw(raw).map((entry) => {
      const count = counts.get(entry.path) ?? { additions: 0, deletions: 0, binary: false };
      return { ...entry, ...count };
    });
  }

  async patch(base: string, head: string, paths: string[]): Promise<string> {
    if (paths.length === 0) return '';
    return this.git.raw(['diff', '--no-ext-diff', '--no-textconv', '--no-color', '-M', '-U3', base, head, '--', ...paths]);
  }

  async show(rev: string, file: string): Promise<string | null> {
    try {
      return await this.git.show([`${rev}:${file}`]);
    } catch {
      return null;
    }
  }

  async listFiles(rev: string): Promise<string[]> {
    return (await this.git.raw(['ls-tree', '-r', '--name-only', '-z', rev])).split('\0').filter(Boolean);
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
