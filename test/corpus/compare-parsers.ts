// `npx tsx test/corpus/compare-parsers.ts` (issue 10): the Nix parsers Steward could use, measured
// on every distinct .nix file at every labelled commit of the shared corpus.
//   - hand-written: src/stages/analyze/diff (tokenizer + option-line map), what Steward uses;
//   - nix-instantiate --parse: Nix's own parser (when Nix is on PATH), one process per file;
//   - tree-sitter-nix: the tree-sitter grammar through the native `tree-sitter` binding, loaded
//     from STEWARD_TREE_SITTER_MODULES (a node_modules folder holding `tree-sitter` and
//     `tree-sitter-nix`), because neither is a dependency of the project (see README).
// Columns: files accepted (no syntax error), error recovery (on a copy of each file with one `;`
// deleted past its middle: the share of the intact file's option lines that still map to the same
// option; a parser that rejects the file recovers nothing), agreement with the hand-written option
// map on intact files, and total time.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mapOptionLines } from '../../src/stages/analyze/diff/nix-option-lines.js';
import { tokenizeNix } from '../../src/stages/analyze/diff/nix-tokens.js';
import { labelledCommits, NIXOS_CORPUS } from './nixos-corpus.js';

type OptionLines = Map<number, string>;

interface Parser {
  name: string;
  /** Option path by line, or null when the parser rejects the file. */
  optionLines(source: string): OptionLines | null;
  /** Whether the file parses without error. */
  accepts(source: string): boolean;
}

const handWritten: Parser = {
  name: 'hand-written tokenizer',
  optionLines(source) {
    const result: OptionLines = new Map();
    for (const [line, info] of mapOptionLines(source)) if (info.code && !info.local && info.option) result.set(line, info.option);
    return result;
  },
  // It never rejects a file; the nearest it has to "parsed" is balanced brackets.
  accepts(source) {
    let depth = 0;
    for (const t of tokenizeNix(source)) {
      if (t.text === '{' || t.text === '[' || t.text === '(' || t.text === '${') depth++;
      else if (t.text === '}' || t.text === ']' || t.text === ')') depth--;
      if (depth < 0) return false;
    }
    return depth === 0;
  },
};

function nixInstantiate(): Parser | null {
  if (spawnSync('nix-instantiate', ['--version'], { stdio: 'ignore' }).status !== 0) return null;
  const accepts = (source: string) => spawnSync('nix-instantiate', ['--parse', '-'], { input: source, stdio: ['pipe', 'ignore', 'ignore'] }).status === 0;
  // Its output is the expression re-printed on one line: no source lines to map options to.
  return { name: 'nix-instantiate --parse', accepts, optionLines: (source) => (accepts(source) ? new Map() : null) };
}

interface TsNode {
  type: string;
  text: string;
  startPosition: { row: number };
  endPosition: { row: number };
  namedChildren: TsNode[];
  hasError(): boolean;
}

/** A field of a node (the 0.20 binding names field getters `<field>Node`). */
function field(node: TsNode, name: string): TsNode | null {
  return ((node as unknown as Record<string, TsNode | null>)[`${name}Node`] ?? null) as TsNode | null;
}

function treeSitter(): Parser | null {
  const dir = process.env.STEWARD_TREE_SITTER_MODULES;
  if (!dir) return null;
  const require = createRequire(join(dir, 'x.js'));
  const TreeSitter = require('tree-sitter') as new () => { setLanguage(l: unknown): void; parse(s: string): { rootNode: TsNode } };
  const parser = new TreeSitter();
  parser.setLanguage(require('tree-sitter-nix'));
  const optionLines = (source: string): OptionLines => {
    const result: OptionLines = new Map();
    const walk = (node: TsNode, path: string[], local: boolean) => {
      if (node.type === 'let_expression') {
        for (const child of node.namedChildren) walk(child, path, child.type === 'binding_set');
        return;
      }
      if (node.type === 'binding') {
        const attrs = field(node, 'attrpath')?.namedChildren.map((a) => a.text.replace(/^"(.*)"$/, '$1')) ?? [];
        const next = local ? path : [...path, ...attrs];
        const option = (next[0] === 'config' ? next.slice(1) : next).join('.');
        for (let row = node.startPosition.row; row <= node.endPosition.row; row++) {
          if (local) result.delete(row + 1);
          else if (option) result.set(row + 1, option);
        }
        const value = field(node, 'expression');
        if (value) walk(value, next, false);
        if (local) for (let row = node.startPosition.row; row <= node.endPosition.row; row++) result.delete(row + 1);
        return;
      }
      for (const child of node.namedChildren) walk(child, path, false);
    };
    walk(parser.parse(source).rootNode, [], false);
    return result;
  };
  return { name: 'tree-sitter-nix (native)', accepts: (source) => !parser.parse(source).rootNode.hasError(), optionLines };
}

/** The file with one `;` deleted: the first past its middle (none: the last `}` instead). */
function broken(source: string): string {
  const semicolon = source.indexOf(';', Math.floor(source.length / 2));
  const at = semicolon >= 0 ? semicolon : source.lastIndexOf('}');
  return at < 0 ? `${source}{` : source.slice(0, at) + source.slice(at + 1);
}

function distinctNixFiles(): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'steward-compare-parsers-'));
  try {
    const blobs = new Map<string, string>();
    const commits = labelledCommits();
    for (const repo of [...new Set(commits.map((c) => c.repo))]) {
      const clone = join(dir, repo.replace('/', '+'));
      execFileSync('git', ['clone', '-q', '--no-checkout', `${NIXOS_CORPUS}${repo.replace('/', '+')}.bundle`, clone], { stdio: 'pipe' });
      for (const commit of commits.filter((c) => c.repo === repo)) {
        const tree = execFileSync('git', ['-C', clone, 'ls-tree', '-r', commit.sha], { encoding: 'utf8', maxBuffer: 64 << 20 });
        for (const row of tree.split('\n')) {
          const [meta, path] = row.split('\t');
          const blob = meta?.split(' ')[2];
          if (path?.endsWith('.nix') && blob && !blobs.has(blob)) blobs.set(blob, clone);
        }
      }
    }
    const texts: string[] = [];
    for (const [blob, clone] of blobs) texts.push(execFileSync('git', ['-C', clone, 'cat-file', 'blob', blob], { encoding: 'utf8', maxBuffer: 64 << 20 }));
    return texts;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function agreement(a: OptionLines, b: OptionLines): { same: number; total: number } {
  let same = 0;
  for (const [line, option] of a) if (b.get(line) === option) same++;
  return { same, total: a.size };
}

const files = distinctNixFiles();
const parsers = [handWritten, treeSitter(), nixInstantiate()];
const pct = (n: number, d: number) => `${((100 * n) / Math.max(1, d)).toFixed(1)} %`;
const rows: string[] = [];
const handMaps = files.map((source) => handWritten.optionLines(source) as OptionLines);
for (const parser of parsers) {
  if (!parser) continue;
  const isNix = parser.name.startsWith('nix-instantiate');
  const started = performance.now();
  let accepted = 0;
  const intact: (OptionLines | null)[] = [];
  for (const source of files) {
    // Nix re-prints the expression on one line: it has no option lines to compare.
    if (isNix) accepted += parser.accepts(source) ? 1 : 0;
    else {
      if (parser.accepts(source)) accepted++;
      intact.push(parser.optionLines(source));
    }
  }
  const ms = performance.now() - started;
  let kept = 0;
  let total = 0;
  let agree = 0;
  let agreeTotal = 0;
  if (!isNix) {
    files.forEach((source, i) => {
      const before = intact[i] as OptionLines;
      const a = agreement(before, parser.optionLines(broken(source)) ?? new Map());
      kept += a.same;
      total += a.total;
      const h = agreement(handMaps[i] as OptionLines, before);
      agree += h.same;
      agreeTotal += h.total;
    });
  }
  const recovery = isNix ? 'none: a syntax error rejects the whole file' : pct(kept, total);
  const agreeText = isNix ? 'n/a: its output has no source lines' : pct(agree, agreeTotal);
  const row = `| ${parser.name} | ${accepted}/${files.length} | ${recovery} | ${agreeText} | ${(ms / 1000).toFixed(2)} s |`;
  process.stderr.write(`${row}\n`);
  rows.push(row);
}
if (!parsers[1]) rows.push('| tree-sitter-nix (native) | not measured: set STEWARD_TREE_SITTER_MODULES | | | |');
if (!parsers[2]) rows.push('| nix-instantiate --parse | not measured: Nix is not on PATH | | | |');
process.stdout.write(
  [
    `${files.length} distinct .nix files at the ${labelledCommits().length} labelled commits`,
    '',
    '| parser | files accepted | error recovery (option lines kept, one `;` deleted) | agrees with hand-written option map | time (all files) |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n'),
);
