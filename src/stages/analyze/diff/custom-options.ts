// Custom options (issue 10): a host sets an option the repository's own module declares
// (`roles.consul.enableServer = true`); what it does is what that module sets with it. Each such
// signal gains the signals of the module's definitions that read it: lines naming the option's
// last attribute (`cfg.enableServer`), or the whole `config` of the module for an `enable` option
// (its `mkIf cfg.enable` guards everything). Each cites the path it followed.
import type { DiffSignal } from '../../../model/repo-change.js';
import { lineOptions, mapOptionLines } from './nix-option-lines.js';

interface Declaring {
  file: string;
  /** Options the module defines (not declares), by line, with the line's text. */
  sets: { line: number; option: string; text: string }[];
}

/** Declared option path -> the module declaring it. */
export function declaredOptions(sources: { path: string; text: string }[]): Map<string, Declaring> {
  const declared = new Map<string, Declaring>();
  for (const source of sources) {
    if (!source.text.includes('options')) continue;
    const lines = source.text.split('\n');
    const module: Declaring = { file: source.path, sets: [] };
    const own: string[] = [];
    for (const [line, info] of mapOptionLines(source.text)) {
      if (!info.code || info.local) continue;
      // Declarations keep every path on the line (`x = mkOption { type = …; }` declares x).
      for (const option of [info.option, ...(info.more ?? [])]) if (option.startsWith('options.')) own.push(option.slice('options.'.length));
      for (const option of lineOptions(info)) {
        if (option && !option.startsWith('options.') && option !== 'imports') module.sets.push({ line, option, text: (lines[line - 1] ?? '').trim() });
      }
    }
    for (const option of own) if (!declared.has(option)) declared.set(option, module);
  }
  return declared;
}

/** Signals for what each custom option's changed value feeds, added after the originals. */
export function followCustomOptions(signals: DiffSignal[], declared: Map<string, Declaring>): DiffSignal[] {
  if (declared.size === 0) return signals;
  const derived: DiffSignal[] = [];
  for (const signal of signals) {
    const { option } = signal;
    if (!option || option.startsWith('options.') || declared.get(option)?.sets === undefined) continue;
    const module = declared.get(option) as Declaring;
    const leaf = option.split('.').pop() as string;
    const named = new RegExp(`(^|[^\\w'-])${leaf.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w'-])`);
    const reading = leaf === 'enable' ? module.sets : module.sets.filter((s) => named.test(s.text));
    for (const set of reading) {
      if (set.option === option) continue;
      derived.push({ ...signal, file: module.file, line: set.line, option: set.option, text: `${option} → ${set.option} at ${module.file}:${set.line} (set by ${signal.file}:${signal.line})`.slice(0, 200) });
    }
  }
  return derived.length === 0 ? signals : [...signals, ...derived];
}
