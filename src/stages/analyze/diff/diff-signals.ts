// Option-level signals from a unified diff: each changed line of Nix code, located by the option
// it sets (resolved through `let` variables), on the side where it lives. Comment-only and
// formatting-only changes produce no signal.
import { parsePatch } from 'diff';
import type { DiffSignal } from '../../../model/repo-change.js';
import { lineOptions, localOptionResolver, mapOptionLines, normaliseNixSource, type LineInfo, type LocalResolver } from './nix-option-lines.js';
import { tokenizeNix } from './nix-tokens.js';

export interface FileTexts {
  base: string | null;
  head: string | null;
}

export interface PatchedLine {
  file: string;
  side: 'added' | 'removed';
  line: number;
  text: string;
}

/** Every added and removed line of a git patch, with its line number on its own side. */
export function parsePatchLines(patch: string): PatchedLine[] {
  const result: PatchedLine[] = [];
  for (const filePatch of parsePatch(patch)) {
    const newName = stripPrefix(filePatch.newFileName);
    const oldName = stripPrefix(filePatch.oldFileName);
    for (const hunk of filePatch.hunks) {
      let oldLine = hunk.oldStart;
      let newLine = hunk.newStart;
      for (const line of hunk.lines) {
        if (line.startsWith('\\')) continue; // "\ No newline at end of file"
        if (line.startsWith('+')) result.push({ file: newName ?? oldName ?? '', side: 'added', line: newLine++, text: line.slice(1) });
        else if (line.startsWith('-')) result.push({ file: oldName ?? newName ?? '', side: 'removed', line: oldLine++, text: line.slice(1) });
        else {
          oldLine++;
          newLine++;
        }
      }
    }
  }
  return result;
}

function stripPrefix(name: string | undefined): string | undefined {
  if (!name || name === '/dev/null') return undefined;
  return name.replace(/^[ab]\//, '');
}

/** Signals for one Nix file (its patched lines, and the file at both revisions). */
export function nixSignals(file: string, lines: PatchedLine[], texts: FileTexts, hosts: string[]): DiffSignal[] {
  const maps = { added: lineMap(texts.head), removed: lineMap(texts.base) };
  const resolvers: Record<PatchedLine['side'], LocalResolver> = { added: localOptionResolver(texts.head ?? '', maps.added), removed: localOptionResolver(texts.base ?? '', maps.removed) };
  const signals: DiffSignal[] = [];
  for (const changed of lines) {
    const info = maps[changed.side].get(changed.line);
    if (!info?.code) continue;
    const resolve = resolvers[changed.side];
    const locals = info.local ? [info.local] : (info.locals ?? []);
    // Outside every option, two kinds of line set nothing by themselves: the module's argument
    // names (what an argument brings is judged where it is used) and local variables that
    // nothing uses. Any other line no option explains stays '' and is never clean (diff rules).
    if (locals.length > 0 && locals.every((l) => resolve.unused(l))) continue;
    if (!info.option && locals.length === 0 && onlyNamesArguments(changed.text)) continue;
    const options = locals.length > 0 ? [...new Set(locals.flatMap((l) => resolve(l)))] : lineOptions(info);
    for (const option of options.length > 0 ? options : ['']) {
      signals.push({ file, line: changed.line, side: changed.side, option, text: changed.text.trim().slice(0, 200), hosts });
    }
  }
  return signals;
}

/** `{ config, pkgs, ... }:`, `args@{ lib,`, `...`, `}: {`: names of function arguments only. */
function onlyNamesArguments(text: string): boolean {
  const tokens = tokenizeNix(text);
  const allowed = tokens.every((t) => t.type === 'id' || [',', '...', '{', '}', ':', '@'].includes(t.text));
  const formals = tokens.some((t, i) => t.text === ',' || t.text === '...' || (t.text === '}' && tokens[i + 1]?.text === ':'));
  return allowed && formals;
}

/** Only comments or whitespace changed (Nix files by tokens, others by collapsed whitespace). */
export function isCosmeticChange(file: string, texts: FileTexts): boolean {
  if (texts.base === null || texts.head === null) return false;
  if (file.endsWith('.nix')) return normaliseNixSource(texts.base) === normaliseNixSource(texts.head);
  const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();
  return collapse(texts.base) === collapse(texts.head);
}

function lineMap(text: string | null): Map<number, LineInfo> {
  return text === null ? new Map() : mapOptionLines(text);
}
