// Locked flake references to a repository at a revision: old revisions build from
// `git+file://…?rev=<sha>` without touching the working tree.
import path from 'node:path';

export function flakeRefAt(repoRoot: string, sha: string, dir: string): string {
  const params = new URLSearchParams({ rev: sha });
  const normalised = path.posix.normalize(dir.replace(/\\/g, '/')).replace(/^\.\/?|\/$/g, '');
  if (normalised && normalised !== '.') params.set('dir', normalised);
  return `git+file://${encodeURI(path.resolve(repoRoot))}?${params.toString()}`;
}
