// A shallow clone (actions/checkout's default depth 1) cuts history off: its oldest commit looks
// like a root, so a comparison with a missing base would invent "nothing changed" (and a deploy
// would record head as deployed everywhere). Stop instead, unless what is needed is present.
import { GitError } from '../../errors.js';
import type { GitPort } from '../../ports/git.js';

export const SHALLOW_FIX = 'fetch the full history: actions/checkout with `fetch-depth: 0`, or `git fetch --unshallow`';

/** Throws when a shallow clone lacks `base` or any commit of base..head with its parents (base null: head's parent). */
export async function requireHistory(git: GitPort, base: string | null, head: string): Promise<void> {
  if (!(await git.lacksHistory(base, head))) return;
  const what = base === null ? `the parent of ${head.slice(0, 12)}` : `the history ${base.slice(0, 12)}..${head.slice(0, 12)}`;
  throw new GitError(`this is a shallow clone without ${what}: ${SHALLOW_FIX}`);
}
