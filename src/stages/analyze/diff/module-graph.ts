// The repository's module graph at one revision (issue 10): which hosts reach each Nix file, and
// through which lines. Hosts are the flake's `nixosConfigurations` entries, each starting at the
// files its entry names; host folders (`classify.hostPaths`) start their host too, which covers
// flakes that build their configurations by code diff level cannot read. A file reaches every Nix
// file it names by a relative path (`imports`, `import ./x.nix`, a folder's default.nix) and the
// repository's own exported modules (`self.nixosModules.name`). That over-approximates imports
// on purpose: a shared module's reasons name every host that may use it, never fewer.
import { posix } from 'node:path';
import { mapOptionLines } from './nix-option-lines.js';

/** Nix files by path at one revision. */
export type NixTree = Map<string, string>;

export interface Reach {
  host: string;
  /** `file:line` of each reference followed, from the host's entry to the file. */
  via: string[];
}

export interface ModuleGraph {
  /** Every host found (flake entries, then host folders); empty when none is known. */
  hosts: string[];
  /** Hosts reaching a file; empty when no known host reaches it. */
  reach(file: string): Reach[];
}

interface Edge {
  to: string;
  line: number;
}

const CONFIGURATIONS = /(?:^|\.)nixosConfigurations\.("[^"]+"|[^.]+)/;

export function buildModuleGraph(tree: NixTree, hostFolder: (path: string) => string[]): ModuleGraph {
  const names = moduleNames(tree);
  const edges = new Map<string, Edge[]>();
  for (const [file, text] of tree) edges.set(file, referencedFiles(file, text, tree, names));

  // Each host's starting files, with the `flake.nix:line` naming it (null: a host folder's file).
  const entries = new Map<string, { file: string; from: string | null }[]>();
  const addEntry = (host: string, file: string, from: string | null) => {
    const list = entries.get(host);
    if (list) list.push({ file, from });
    else entries.set(host, [{ file, from }]);
  };
  for (const flake of [...tree.keys()].filter((p) => posix.basename(p) === 'flake.nix')) {
    const text = tree.get(flake) as string;
    const lines = mapOptionLines(text);
    const flakeEdges = edges.get(flake) ?? [];
    for (const [line, info] of lines) {
      const host = CONFIGURATIONS.exec(info.option)?.[1]?.replace(/"/g, '');
      if (!host || !info.code) continue;
      if (!entries.has(host)) entries.set(host, []);
      for (const edge of flakeEdges) if (edge.line === line) addEntry(host, edge.to, `${flake}:${line}`);
    }
  }
  const flakeHosts = new Set(entries.keys());
  for (const file of tree.keys()) {
    const [host] = hostFolder(file);
    // A host folder stands for a host only when the flake names that host or names none.
    if (host && (flakeHosts.size === 0 || flakeHosts.has(host))) addEntry(host, file, null);
  }

  const reaches = new Map<string, Reach[]>();
  for (const [host, starts] of entries) {
    const via = new Map<string, string[]>();
    const queue: string[] = [];
    for (const start of starts) {
      if (via.has(start.file)) continue;
      via.set(start.file, start.from === null ? [] : [start.from]);
      queue.push(start.file);
    }
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      const path = via.get(next) as string[];
      for (const edge of edges.get(next) ?? []) {
        if (via.has(edge.to)) continue;
        via.set(edge.to, [...path, `${next}:${edge.line}`]);
        queue.push(edge.to);
      }
    }
    for (const [file, chain] of via) {
      const list = reaches.get(file);
      const reach = { host, via: chain };
      if (list) list.push(reach);
      else reaches.set(file, [reach]);
    }
  }
  return { hosts: [...entries.keys()].sort(), reach: (file) => reaches.get(file) ?? [] };
}

/**
 * Nix files a file names: relative path literals, and the repository's own modules by exported
 * name. Scanned line by line rather than tokenized (the graph reads every file of a revision):
 * a path-looking word in a string or a trailing comment adds an edge too, which only widens the
 * hosts a file is said to reach; whole-line comments are skipped.
 */
function referencedFiles(file: string, text: string, tree: NixTree, names: Map<string, string[]>): Edge[] {
  const found: Edge[] = [];
  const hasPaths = text.includes('./');
  const hasModules = text.includes('nixosModules');
  if (!hasPaths && !hasModules) return found;
  const dir = posix.dirname(file);
  text.split('\n').forEach((lineText, index) => {
    if (/^\s*#/.test(lineText)) return;
    if (hasPaths) {
      for (const match of lineText.matchAll(/(?<![\w.~/-])\.\.?\/[\w.+~/-]*/g)) {
        const target = resolveNixPath(posix.join(dir, match[0]), tree);
        if (target && target !== file) found.push({ to: target, line: index + 1 });
      }
    }
    // `self.nixosModules.name` / `inputs.self.nixosModules.name` / `outputs.nixosModules.name`.
    if (hasModules) {
      for (const match of lineText.matchAll(/\b(?:self|outputs)\.nixosModules\.([\w-]+)/g)) {
        const target = exportedModule(names.get(match[1] as string) ?? []);
        if (target && target !== file) found.push({ to: target, line: index + 1 });
      }
    }
  });
  return found;
}

/**
 * The file exporting a NixOS module by name: the only file carrying it, or the only one under a
 * `nixos` folder (repositories that also export nix-darwin modules keep both under one name).
 */
export function exportedModule(candidates: string[]): string | null {
  if (candidates.length === 1) return candidates[0] as string;
  const nixos = candidates.filter((p) => p.split('/').includes('nixos'));
  return nixos.length === 1 ? (nixos[0] as string) : null;
}

/** A path as Nix reads it: the file itself, or a folder's default.nix. */
export function resolveNixPath(joined: string, tree: NixTree): string | null {
  const target = posix.normalize(joined).replace(/\/$/, '');
  if (tree.has(target)) return target;
  if (tree.has(`${target}/default.nix`)) return `${target}/default.nix`;
  return null;
}

/** Module name (file name without .nix, or the folder of a default.nix) -> files carrying it. */
export function moduleNames(tree: NixTree): Map<string, string[]> {
  const names = new Map<string, string[]>();
  for (const path of tree.keys()) {
    const base = posix.basename(path);
    const name = base === 'default.nix' ? posix.basename(posix.dirname(path)) : base.replace(/\.nix$/, '');
    const list = names.get(name);
    if (list) list.push(path);
    else names.set(name, [path]);
  }
  return names;
}
