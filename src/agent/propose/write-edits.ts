// Writes a proposal's edits into its worktree, refusing any path that would leave it.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FileEdit } from './proposal.js';

export async function writeEdits(dir: string, edits: FileEdit[]): Promise<void> {
  const root = path.resolve(dir);
  for (const edit of edits) {
    const target = path.resolve(root, edit.path);
    if (!target.startsWith(root + path.sep)) throw new Error(`proposal edit outside the worktree: ${edit.path}`);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, edit.content);
  }
}
