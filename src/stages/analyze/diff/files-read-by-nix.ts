// Files that Nix reads (`./keys/alice` in `authorizedKeys.keyFiles`, `builtins.readFile ./x`,
// `lib.importJSON ./hosts.json`, `sopsFile = ./secrets.yaml`): a changed non-Nix file is judged
// as the option the reading expression feeds (issue 10). Found through path literals in every Nix
// file at the revision; the line holding the literal gives the option, as a changed line would.
import { posix } from 'node:path';
import type { DiffSignal } from '../../../model/repo-change.js';
import { nixSignals } from './diff-signals.js';
import { tokenizeNix } from './nix-tokens.js';

export interface NixSource {
  path: string;
  text: string;
  hosts: string[];
}

/**
 * Signals for each changed file that a Nix file names by a relative path (the file itself, or a
 * folder holding it): one per reading line, located by the option it sets.
 */
export function signalsForReadFiles(changedFiles: { path: string; hosts: string[] }[], sources: NixSource[]): DiffSignal[] {
  if (changedFiles.length === 0) return [];
  const changed = new Map(changedFiles.map((f) => [f.path, f]));
  const signals: DiffSignal[] = [];
  for (const source of sources) {
    const dir = posix.dirname(source.path);
    const readLines = new Map<number, string[]>();
    for (const token of tokenizeNix(source.text)) {
      if (token.type !== 'path' || !/^\.\.?\//.test(token.text)) continue;
      const target = posix.normalize(posix.join(dir, token.text)).replace(/\/$/, '');
      for (const file of changed.keys()) {
        if (file !== target && !file.startsWith(`${target}/`)) continue;
        const files = readLines.get(token.line);
        if (files) files.push(file);
        else readLines.set(token.line, [file]);
      }
    }
    const lines = readLines.size > 0 ? source.text.split('\n') : [];
    for (const [line, files] of readLines) {
      const hosts = [...new Set([...source.hosts, ...files.flatMap((f) => changed.get(f)?.hosts ?? [])])];
      const lineText = lines[line - 1] ?? '';
      for (const signal of nixSignals(source.path, [{ file: source.path, side: 'added', line, text: lineText }], { base: null, head: source.text }, hosts)) {
        signals.push({ ...signal, text: `reads ${files.join(', ')}: ${signal.text}`.slice(0, 200) });
      }
    }
  }
  return signals;
}
