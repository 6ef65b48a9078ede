// The flake-input proposer: each direct input of the flake, updated on its own with
// `nix flake update <input>` in a throwaway worktree; one proposal per input whose lock moved,
// or per configured group (its inputs updated together in one worktree).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { FlakeInputUpdater } from '../../ports/flake-input-updater.js';
import type { Logger } from '../../ports/logger.js';
import type { ProposalWorktreePort } from '../../ports/proposal-worktree.js';
import type { Proposal, VersionChange } from './proposal.js';
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

/** What one worktree updates: a lone input (topic `flake-<input>`) or a configured group (topic `flake-<group>`). */
interface UpdateUnit {
  group: string | null;
  members: LockedInput[];
}

/**
 * Lone inputs and configured groups, in a stable order. An input named by a group goes only in
 * that group (the first group naming it, when several do); names a group lists that the lock does
 * not hold are left out, and a group none of whose inputs is selected is left out too.
 */
export function flakeUpdateUnits(current: LockedInput[], inputs: 'all' | string[], groups: Record<string, string[]>): UpdateUnit[] {
  const selected = current.filter((i) => inputs === 'all' || inputs.includes(i.name));
  const grouped = new Set<string>();
  const units: UpdateUnit[] = [];
  for (const [group, names] of Object.entries(groups).sort(([a], [b]) => a.localeCompare(b))) {
    const members = selected.filter((i) => names.includes(i.name) && !grouped.has(i.name));
    members.forEach((i) => grouped.add(i.name));
    if (members.length > 0) units.push({ group, members });
  }
  for (const lone of selected.filter((i) => !grouped.has(i.name))) units.push({ group: null, members: [lone] });
  return units;
}

/** `inputs`: which to update (`all`, or names); `groups`: group name → inputs updated together in one proposal. */
export async function planFlakeInputUpdates(
  deps: FlakeInputDeps,
  input: { base: string; lockText: string | null; nixDir: string; inputs: 'all' | string[]; groups?: Record<string, string[]> },
): Promise<Proposal[]> {
  const current = input.lockText ? parseRootInputs(input.lockText) : null;
  if (!current) return [];
  const lockPath = path.posix.join(input.nixDir, 'flake.lock');
  const proposals: Proposal[] = [];
  for (const unit of flakeUpdateUnits(current, input.inputs, input.groups ?? {})) {
    let lockText: string;
    try {
      lockText = await deps.worktrees.inspect(input.base, async (dir) => {
        for (const member of unit.members) {
          // One input that cannot be fetched does not hold back the rest of its group.
          try {
            await deps.updater.updateInput(path.join(dir, input.nixDir), member.name);
          } catch (error) {
            if (unit.members.length === 1) throw error;
            deps.logger.warn(`flake input ${member.name} (group ${unit.group}): not updated: ${(error as Error).message}`);
          }
        }
        return readFile(path.join(dir, lockPath), 'utf8');
      });
    } catch (error) {
      deps.logger.warn(`flake input ${unit.group ?? unit.members[0]!.name}: not updated: ${(error as Error).message}`);
      continue;
    }
    if (lockText === input.lockText) continue;
    const after = parseRootInputs(lockText) ?? [];
    const moved = unit.members.flatMap((member) => {
      const next = after.find((i) => i.name === member.name);
      return next && next.version !== member.version ? [{ name: member.name, from: member.version, to: next.version, paths: [lockPath] }] : [];
    });
    if (moved.length === 0) continue;
    proposals.push(unit.group === null ? loneProposal(moved[0]!, lockPath, lockText) : groupProposal(unit.group, moved, lockPath, lockText));
  }
  return proposals;
}

function loneProposal(change: VersionChange, lockPath: string, lockText: string): Proposal {
  return {
    kind: 'flake-input',
    topic: topicSlug(`flake-${change.name}`),
    title: `Update flake input ${change.name}`,
    rationale: `\`nix flake update ${change.name}\` moves the input from ${change.from} to ${change.to}; no other input changes. The classification below says what that does to each host.`,
    edits: [{ path: lockPath, content: lockText }],
    versionChanges: [change],
  };
}

function groupProposal(group: string, moved: VersionChange[], lockPath: string, lockText: string): Proposal {
  const lines = moved.map((c) => `- \`${c.name}\`: ${c.from} → ${c.to}`).join('\n');
  return {
    kind: 'flake-input',
    topic: topicSlug(`flake-${group}`),
    title: `Update flake input group ${group}`,
    rationale: `The inputs of the group \`${group}\` (\`propose.flakeInputGroups\`), updated together with \`nix flake update\`; inputs outside the group do not change:\n\n${lines}\n\nThe classification below says what that does to each host.`,
    edits: [{ path: lockPath, content: lockText }],
    versionChanges: moved,
  };
}
