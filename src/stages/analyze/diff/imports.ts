// Imports added, removed or swapped (issue 10): the imported module's definitions are what
// changed. A changed line in `imports = [ … ]` is replaced by the signals of every option the
// imported module sets, on the same side (added import: its options are added), each citing the
// import line. Followed: relative paths (`./x.nix`, a folder's default.nix) and the repository's
// own exported modules (`self.nixosModules.name`, found as the one `name.nix` or
// `name/default.nix` in the repository). Anything else (another flake's module) is not followed
// and stays an import signal that the rules do not call clean.
import { posix } from 'node:path';
import type { DiffSignal } from '../../../model/repo-change.js';
import { lineOptions, mapOptionLines } from './nix-option-lines.js';
import { tokenizeNix } from './nix-tokens.js';
import { exportedModule, moduleNames, type NixTree } from './module-graph.js';

export const IMPORTS_OPTION = 'imports';

export type { NixTree };

export function isImportSignal(signal: DiffSignal): boolean {
  return signal.option === IMPORTS_OPTION;
}

/** The import signals replaced by what the imported modules set; others pass unchanged. */
export function followImports(signals: DiffSignal[], trees: { added: NixTree; removed: NixTree }): DiffSignal[] {
  const result: DiffSignal[] = [];
  const byName = { added: moduleNames(trees.added), removed: moduleNames(trees.removed) };
  // Modules imported by an imported module are followed too (each module once per side).
  const seen = { added: new Set<string>(), removed: new Set<string>() };
  const queue = [...signals];
  for (let next = queue.shift(); next; next = queue.shift()) {
    if (!isImportSignal(next)) {
      result.push(next);
      continue;
    }
    const tree = trees[next.side];
    const targets = importTargets(next, tree, byName[next.side]);
    if (targets.length === 0) result.push(next);
    for (const target of targets) {
      if (seen[next.side].has(target)) continue;
      seen[next.side].add(target);
      queue.push(...moduleSignals(target, tree.get(target) as string, next));
    }
  }
  return result;
}

function importTargets(signal: DiffSignal, tree: NixTree, names: Map<string, string[]>): string[] {
  const targets: string[] = [];
  const dir = posix.dirname(signal.file);
  for (const token of tokenizeNix(signal.text)) {
    if (token.type === 'path' && /^\.\.?\//.test(token.text)) {
      const target = posix.normalize(posix.join(dir, token.text)).replace(/\/$/, '');
      if (tree.has(target)) targets.push(target);
      else if (tree.has(`${target}/default.nix`)) targets.push(`${target}/default.nix`);
    }
  }
  // `self.nixosModules.name` / `inputs.self.nixosModules.name` / `outputs.nixosModules.name`:
  // the repository's own module: the one file carrying that name, or the one under a `nixos` folder.
  const own = /\b(?:self|outputs)\.nixosModules\.([\w-]+)/.exec(signal.text);
  const named = own?.[1] ? exportedModule(names.get(own[1]) ?? []) : null;
  if (named) targets.push(named);
  return targets;
}

function moduleSignals(target: string, text: string, via: DiffSignal): DiffSignal[] {
  const lines = text.split('\n');
  const signals: DiffSignal[] = [];
  for (const [line, info] of mapOptionLines(text)) {
    if (!info.code || info.local) continue;
    for (const option of lineOptions(info)) {
      if (!option) continue;
      const note = `${via.side === 'added' ? 'imported' : 'no longer imported'} by ${via.file}:${via.line}`;
      signals.push({ file: target, line, side: via.side, option, text: `${(lines[line - 1] ?? '').trim()} (${note})`.slice(0, 200), hosts: via.hosts });
    }
  }
  return signals;
}
