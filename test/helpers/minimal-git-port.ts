// Test helper: a throwaway git repository and the GitPort methods job loading needs
// (listFiles, show, readBlobs), run with real git. Not the project's GitPort: the lead owns that one.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { readBlobs } from '../../src/adapters/git-blobs.js';
import type { GitPort } from '../../src/ports/git.js';

export class TempGitRepo {
  readonly root = mkdtempSync(join(tmpdir(), 'steward-jobs-'));

  constructor() {
    this.git('init', '-q', '-b', 'main');
  }

  git(...args: string[]): string {
    return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.org', '-c', 'commit.gpgsign=false', ...args], {
      cwd: this.root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }

  /** Writes files (null deletes), commits them, returns the new commit's SHA. */
  commit(files: Record<string, string | null>, message = 'change'): string {
    for (const [path, content] of Object.entries(files)) {
      const full = join(this.root, path);
      if (content === null) rmSync(full, { force: true });
      else {
        mkdirSync(dirname(full), { recursive: true });
        writeFileSync(full, content);
      }
    }
    this.git('add', '-A');
    this.git('commit', '-q', '--allow-empty', '-m', message);
    return this.git('rev-parse', 'HEAD').trim();
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }

  port(): Pick<GitPort, 'listFiles' | 'show' | 'readBlobs'> {
    return {
      listFiles: async (rev) => this.git('ls-tree', '-r', '-z', '--name-only', rev).split('\0').filter(Boolean),
      show: async (rev, path) => {
        try {
          return this.git('show', `${rev}:${path}`);
        } catch {
          return null;
        }
      },
      readBlobs: (requests) => readBlobs(this.root, requests),
    };
  }
}
