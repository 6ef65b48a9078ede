// The places where Nix versions disagree, parsed in one file so each difference is unit-tested
// from recorded outputs: version strings (Nix, Lix), how to name a derivation's outputs as an
// installable, `nix build --json` results and `nix path-info --json` (array vs object).
import { z } from 'zod';
import type { NixVersion } from '../../ports/nix.js';

/** `nix (Nix) 2.8.0`, `nix (Nix) 2.24.10`, `nix (Lix, like Nix) 2.91.1`. */
export function parseNixVersion(output: string): NixVersion | null {
  const match = /^nix \((Lix|Nix)[^)]*\) (\d+)\.(\d+)(\.[\w.+-]+)?/m.exec(output.trim());
  if (!match) return null;
  const implementation = match[1] === 'Lix' ? 'lix' : 'nix';
  const major = Number(match[2]);
  const minor = Number(match[3]);
  // `drv^*` arrived in Nix 2.13 (earlier: a bare .drv path builds its outputs); Lix forked later.
  const dialect = implementation === 'lix' || major > 2 || minor >= 13 ? 'modern' : 'legacy';
  return { implementation, version: `${major}.${minor}${match[4] ?? ''}`, major, minor, dialect, raw: output.trim() };
}

/** How to ask `nix build` for every output of a derivation. */
export function drvInstallable(drvPath: string, version: NixVersion): string {
  return version.dialect === 'modern' ? `${drvPath}^*` : drvPath;
}

const BuildResult = z.array(
  z.object({ drvPath: z.string(), outputs: z.record(z.string(), z.string()) }).passthrough(),
);

/**
 * `nix build --json`: an array of {drvPath, outputs} in no particular order (match by drvPath);
 * newer versions add timing fields. Nix 2.8 prints nothing on failure, so empty is valid.
 */
export function parseBuildJson(stdout: string): Record<string, Record<string, string>> {
  const text = stdout.trim();
  if (text === '') return {};
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return {}; // partial JSON after an evaluation error: treat as "nothing built"
  }
  const parsed = BuildResult.safeParse(raw);
  if (!parsed.success) return {};
  return Object.fromEntries(parsed.data.map((r) => [r.drvPath, r.outputs]));
}

const PathInfoEntry = z.object({ references: z.array(z.string()).default([]) }).passthrough();
const PathInfoArray = z.array(PathInfoEntry.extend({ path: z.string() }));
const PathInfoObject = z.record(z.string(), PathInfoEntry.nullable());

/**
 * `nix path-info --json -r`: Nix <= 2.18 and Lix print an array of {path, references}; newer Nix
 * prints an object keyed by store path (and may give references as base names).
 */
export function parsePathInfoJson(stdout: string, storeDir = '/nix/store'): Map<string, string[]> {
  const raw: unknown = JSON.parse(stdout);
  const absolute = (p: string) => (p.startsWith('/') ? p : `${storeDir}/${p}`);
  const graph = new Map<string, string[]>();
  const asArray = PathInfoArray.safeParse(raw);
  if (asArray.success) {
    for (const entry of asArray.data) graph.set(absolute(entry.path), entry.references.map(absolute));
    return graph;
  }
  const asObject = PathInfoObject.parse(raw);
  for (const [p, entry] of Object.entries(asObject)) graph.set(absolute(p), (entry?.references ?? []).map(absolute));
  return graph;
}

/** Every path reachable from `root` in a references graph (the root included). */
export function closureOf(root: string, graph: Map<string, string[]>): string[] {
  const seen = new Set<string>([root]);
  const stack = [root];
  while (stack.length > 0) {
    for (const ref of graph.get(stack.pop() as string) ?? []) {
      if (!seen.has(ref)) {
        seen.add(ref);
        stack.push(ref);
      }
    }
  }
  return [...seen];
}
