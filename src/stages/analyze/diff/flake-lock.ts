// flake.lock input bumps: which root inputs moved, from which revision to which.
import { z } from 'zod';
import type { InputBump } from '../../../model/repo-change.js';

const LockNode = z
  .object({
    inputs: z.record(z.string(), z.union([z.string(), z.array(z.string())])).optional(),
    locked: z.object({ rev: z.string().optional(), narHash: z.string().optional(), lastModified: z.number().optional() }).passthrough().optional(),
  })
  .passthrough();
const FlakeLock = z.object({ nodes: z.record(z.string(), LockNode), root: z.string() }).passthrough();

export function diffFlakeLock(before: string | null, after: string | null): InputBump[] {
  const old = readInputs(before);
  const next = readInputs(after);
  const bumps: InputBump[] = [];
  for (const input of [...new Set([...old.keys(), ...next.keys()])].sort()) {
    const a = old.get(input);
    const b = next.get(input);
    if (a?.at === b?.at) continue;
    const source = b?.source ?? a?.source;
    bumps.push({ input, change: a === undefined ? 'added' : b === undefined ? 'removed' : 'updated', from: a?.at ?? null, to: b?.at ?? null, reaches: null, ...(source ? { source } : {}) });
  }
  return bumps;
}

interface LockedInput {
  /** "rev (date)" */
  at: string;
  /** Where it comes from: `owner/repo` of a forge, else its URL (what the input is, whatever its name). */
  source?: string;
}

/** Root input name -> its locked node; unparseable locks give no inputs. */
function readInputs(text: string | null): Map<string, LockedInput> {
  const inputs = new Map<string, LockedInput>();
  if (!text) return inputs;
  let lock: z.infer<typeof FlakeLock>;
  try {
    lock = FlakeLock.parse(JSON.parse(text));
  } catch {
    return inputs;
  }
  for (const [name, ref] of Object.entries(lock.nodes[lock.root]?.inputs ?? {})) {
    const nodeName = Array.isArray(ref) ? ref.join('/') : ref; // `follows` paths point elsewhere
    const locked = lock.nodes[nodeName]?.locked;
    if (!locked) continue;
    const date = locked.lastModified ? new Date(locked.lastModified * 1000).toISOString().slice(0, 10) : '';
    const source = sourceOf(locked as Record<string, unknown>);
    inputs.set(name, { at: `${(locked.rev ?? locked.narHash ?? '?').slice(0, 12)}${date ? ` (${date})` : ''}`, ...(source ? { source } : {}) });
  }
  return inputs;
}

function sourceOf(locked: Record<string, unknown>): string | undefined {
  const text = (key: string) => (typeof locked[key] === 'string' ? (locked[key] as string) : undefined);
  const owner = text('owner');
  const repo = text('repo');
  if (owner && repo) return `${owner}/${repo}`;
  return text('url');
}
