// Last good only moves forward along main's history: a commit that is an ancestor of what a
// target already runs is older, and deploying it would move that target backwards (and make the
// commits in between look "up to date" afterwards). Only `--rollback-to` goes back, on purpose.
import type { DeployStore } from '../ports/deploy-store.js';
import type { GitPort } from '../ports/git.js';

export interface NewerDeployed {
  /** The recorded commit that is newer than the one asked for. */
  sha: string;
  /** Who runs it: `host node1`, `job web`, or `the fleet`. */
  target: string;
}

/**
 * The first recorded commit (the fleet base or a target's last good) that `sha` is an ancestor
 * of; `orEqual` also counts a recorded commit equal to `sha`. A recorded commit history lost
 * (a force push) has no common history with `sha` and never counts.
 */
export async function newerDeployed(git: GitPort, store: DeployStore, sha: string, orEqual = false): Promise<NewerDeployed | null> {
  const fleet = store.fleetBase();
  const recorded = [...(fleet ? [{ sha: fleet, target: 'the fleet' }] : []), ...store.lastGoodAll().map((t) => ({ sha: t.sha, target: `${t.kind} ${t.name}` }))];
  const verdict = new Map<string, boolean>();
  for (const r of recorded) {
    if (r.sha === sha) {
      if (orEqual) return r;
      continue;
    }
    if (!verdict.has(r.sha)) verdict.set(r.sha, (await git.mergeBase(sha, r.sha)) === sha);
    if (verdict.get(r.sha)) return r;
  }
  return null;
}
