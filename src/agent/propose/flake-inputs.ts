// The flake-input proposer: each direct input of the flake, updated on its own with
// `nix flake update <input>` in a throwaway worktree; one proposal per input whose lock moved.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { FlakeInputUpdater } from '../../ports/flake-input-updater.js';
import type { Logger } from '../../ports/logger.js';
import type { ProposalWorktreePort } from '../../ports/proposal-worktree.js';
import type { Proposal } from './proposal.js';
import { topicSlug } from './proposal.js';

const Locked = z.object({ type: z.string(), rev: z.string().optional(), narHash: z.string().optional(), lastModified: z.number().optional() }).passthrough();
const FlakeLock = z.object({
  root: z.string().default('root'),
  nodes: z.record(z.string(), z.object({ inputs: z.record(z.string(), z.union([z.string(), z.array(z.string())])).optional(), locked: Locked.optional() }).passthrough()),
});

export interface LockedInput {
  name: string;
  type: string;
  /** A short, readable version: the revision, else the narHash, with the date when the lock has one. */
  version: string;
}

/** The root's own inputs (not `follows` entries), as locked; null when the text is no flake.lock. */
export function parseRootInputs(lockText: string): LockedInput[] | null {
  let parsed: z.infer<typeof FlakeLock>;
  try {
    parsed = FlakeLock.parse(JSON.parse(lockText));
  } catch {
    return null;
  }
  const root = parsed.nodes[parsed.root];
  const inputs: LockedInput[] = [];
  for (const [name, target] of Object.entries(root?.inputs ?? {})) {
    if (typeof target !== 'string') continue;
    const locked = parsed.nodes[target]?.locked;
    if (locked) inputs.push({ name, type: locked.type, version: describeLocked(locked) });
  }
  return inputs.sort((a, b) => a.name.localeCompare(b.name));
}

function describeLocked(locked: z.infer<typeof Locked>): string {
  const id = locked.rev ? locked.rev.slice(0, 12) : (locked.narHash ?? '?').replace(/^sha256-/, '').slice(0, 12);
  const date = locked.lastModified ? ` (${new Date(locked.lastModified * 1000).toISOString().slice(0, 10)})` : '';
  return `${id}${date}`;
}

export interface FlakeInputDeps {
  worktrees: ProposalWorktreePort;
  updater: FlakeInputUpdater;
  logger: Logger;
}

/** `inputs`: which to update (`all`, or names). */
export async function planFlakeInputUpdates(deps: FlakeInputDeps, input: { base: string; lockText: string | null; nixDir: string; inputs: 'all' | string[] }): Promise<Proposal[]> {
  const current = input.lockText ? parseRootInputs(input.lockText) : null;
  if (!current) return [];
  const lockPath = path.posix.join(input.nixDir, 'flake.lock');
  const proposals: Proposal[] = [];
  for (const flakeInput of current.filter((i) => input.inputs === 'all' || input.inputs.includes(i.name))) {
    let lockText: string;
    try {
      lockText = await deps.worktrees.inspect(input.base, async (dir) => {
        await deps.updater.updateInput(path.join(dir, input.nixDir), flakeInput.name);
        return readFile(path.join(dir, lockPath), 'utf8');
      });
    } catch (error) {
      deps.logger.warn(`flake input ${flakeInput.name}: not updated: ${(error as Error).message}`);
      continue;
    }
    const next = parseRootInputs(lockText)?.find((i) => i.name === flakeInput.name);
    if (!next || next.version === flakeInput.version || lockText === input.lockText) continue;
    proposals.push({
      kind: 'flake-input',
      topic: topicSlug(`flake-${flakeInput.name}`),
      title: `Update flake input ${flakeInput.name}`,
      rationale: `\`nix flake update ${flakeInput.name}\` moves the input from ${flakeInput.version} to ${next.version}; no other input changes. The classification below says what that does to each host.`,
      edits: [{ path: lockPath, content: lockText }],
      versionChanges: [{ name: flakeInput.name, from: flakeInput.version, to: next.version, paths: [lockPath] }],
    });
  }
  return proposals;
}
