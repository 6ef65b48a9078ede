// A throwaway git repository made from the bundled example homelab, with real commits: what the
// demo, the tests and the benchmarks review.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { simpleGit, type SimpleGit } from 'simple-git';
import { PACKAGE_ROOT } from '../version.js';
import type { Edit } from './scenarios.js';

export const EXAMPLE_HOMELAB = fileURLToPath(new URL('examples/homelab/', PACKAGE_ROOT));

/** The Nix platform of this machine, for the fixture derivations. */
export function nixSystem(): string {
  const arch = { x64: 'x86_64', arm64: 'aarch64' }[process.arch as string] ?? process.arch;
  return `${arch}-${process.platform === 'darwin' ? 'darwin' : 'linux'}`;
}

export interface HomelabRepo {
  dir: string;
  git: SimpleGit;
  commit(message: string, edits: Edit[]): Promise<string>;
  remove(): Promise<void>;
}

export async function createHomelabRepo(options: { source?: string; parent?: string } = {}): Promise<HomelabRepo> {
  const dir = await mkdtemp(path.join(options.parent ?? os.tmpdir(), 'steward-homelab-'));
  await cp(options.source ?? EXAMPLE_HOMELAB, dir, { recursive: true });
  const flake = path.join(dir, 'flake.nix');
  await writeFile(flake, (await readFile(flake, 'utf8')).replace('system = "x86_64-linux";', `system = "${nixSystem()}";`));
  const git = simpleGit({ baseDir: dir });
  await git.init();
  await git.addConfig('user.name', 'Homelab Admin');
  await git.addConfig('user.email', 'admin@homelab.example');
  await git.addConfig('commit.gpgsign', 'false');
  await git.add('.');
  await git.commit('initial homelab');
  return {
    dir,
    git,
    async commit(message, edits) {
      for (const edit of edits) await applyEdit(dir, edit);
      await git.add('.');
      await git.commit(message);
      return (await git.revparse(['HEAD'])).trim();
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

export async function applyEdit(dir: string, edit: Edit): Promise<void> {
  const file = path.join(dir, edit.file);
  if (edit.remove) {
    await rm(file);
    return;
  }
  if (edit.content !== undefined) {
    await writeFile(file, edit.content);
    return;
  }
  const text = await readFile(file, 'utf8');
  const find = edit.find ?? '';
  const at = text.indexOf(find);
  if (at < 0 || text.indexOf(find, at + 1) >= 0) throw new Error(`edit of ${edit.file}: the text to replace must occur exactly once: ${JSON.stringify(find.slice(0, 60))}`);
  await writeFile(file, text.slice(0, at) + (edit.replace ?? '') + text.slice(at + find.length));
}
