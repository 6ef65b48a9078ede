// Chooses which diff hunks the prompt shows within a token budget: the hunks the strongest signals
// point at come first; lock and generated files are described, never pasted; secret files never.
import picomatch from 'picomatch';
import type { RulesVerdict } from '../../model/review.js';
import type { RepoChange } from '../../model/repo-change.js';
import { severity } from '../../model/label.js';
import { hunkCovers, type PatchFile, type PatchHunk } from './parse-patch.js';

/** A rough count that errs high: code and diffs run nearer 3 than 4 characters per token. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 3.5);
}

const GENERATED = picomatch([
  '**/flake.lock',
  '**/*.lock',
  '**/package-lock.json',
  '**/pnpm-lock.yaml',
  '**/go.sum',
  '**/*.min.js',
  '**/*.generated.*',
  '**/generated/**',
  '**/node-packages.nix',
  '**/*-deps.nix',
  '**/deps.json',
]);

export interface ScoredHunk {
  file: string;
  hunk: PatchHunk;
  score: number;
  /** What made it score: `rule nixos.kernel (needs-reboot)`, `option fileSystems...`. */
  why: string[];
}

export interface SummarisedFile {
  path: string;
  why: 'lock' | 'generated' | 'binary';
  additions: number;
  deletions: number;
}

export interface HunkSelection {
  included: ScoredHunk[];
  omitted: ScoredHunk[];
  summarised: SummarisedFile[];
  /** Secret files found in the patch anyway: dropped unread. */
  secretFiles: string[];
}

const KIND_SCORE: Record<string, number> = { nix: 30, nomad: 30, other: 15, lock: 0, secret: 0, docs: 2 };
const LABEL_WEIGHT = [60, 200, 300];

function countLines(files: PatchFile[], path: string): { additions: number; deletions: number } {
  let additions = 0;
  let deletions = 0;
  for (const f of files)
    if (f.path === path)
      for (const h of f.hunks)
        for (const l of h.lines) {
          if (l.startsWith('+')) additions += 1;
          else if (l.startsWith('-')) deletions += 1;
        }
  return { additions, deletions };
}

function scoreHunk(file: PatchFile, hunk: PatchHunk, repo: RepoChange, rules: RulesVerdict): ScoredHunk {
  const info = repo.files.find((f) => f.path === file.path);
  let score = info?.cosmetic ? 1 : (KIND_SCORE[info?.kind ?? 'other'] ?? 15);
  const why: string[] = [];
  for (const reason of rules.reasons) {
    for (const e of reason.evidence) {
      if (e.file !== file.path) continue;
      const weight = LABEL_WEIGHT[severity(reason.label)] ?? 60;
      if (e.line !== undefined && hunkCovers(hunk, e.line)) {
        score += weight;
        why.push(`rule ${reason.ruleId} (${reason.label})`);
      } else if (e.line === undefined) score += Math.round(weight / 4);
    }
  }
  for (const signal of repo.signals) {
    if (signal.file === file.path && hunkCovers(hunk, signal.line)) {
      score += signal.option ? 30 : 15;
      if (signal.option) why.push(`option ${signal.option}`);
    }
  }
  return { file: file.path, hunk, score, why: [...new Set(why)] };
}

export function renderHunk(h: ScoredHunk): string {
  return [`### ${h.file} ${h.hunk.header}${h.why.length ? `  (${h.why.join('; ')})` : ''}`, ...h.hunk.lines].join('\n');
}

/** Cuts a hunk that alone would eat the budget, keeping its first lines. */
function truncateHunk(h: ScoredHunk, maxTokens: number): ScoredHunk {
  const kept: string[] = [];
  let used = estimateTokens(`### ${h.file} ${h.hunk.header}`);
  for (const line of h.hunk.lines) {
    used += estimateTokens(`${line}\n`);
    if (used > maxTokens) break;
    kept.push(line);
  }
  const dropped = h.hunk.lines.length - kept.length;
  if (dropped === 0 || kept.length === 0) return h;
  return { ...h, hunk: { ...h.hunk, lines: [...kept, `… ${dropped} more lines of this hunk not shown`] } };
}

export function selectHunks(files: PatchFile[], repo: RepoChange, rules: RulesVerdict, budgetTokens: number): HunkSelection {
  const secrets = new Set(repo.secrets);
  const kinds = new Map(repo.files.map((f) => [f.path, f.kind]));
  const summarised: SummarisedFile[] = [];
  const secretFiles: string[] = [];
  const candidates: ScoredHunk[] = [];
  for (const file of files) {
    const kind = kinds.get(file.path);
    if (secrets.has(file.path) || (file.oldPath && secrets.has(file.oldPath)) || kind === 'secret') {
      secretFiles.push(file.path);
      continue;
    }
    if (file.binary || kind === 'lock' || GENERATED(file.path)) {
      const why = file.binary ? 'binary' : kind === 'lock' || /lock|\.sum$/.test(file.path) ? 'lock' : 'generated';
      summarised.push({ path: file.path, why, ...countLines(files, file.path) });
      continue;
    }
    for (const hunk of file.hunks) candidates.push(scoreHunk(file, hunk, repo, rules));
  }
  candidates.sort((a, b) => b.score - a.score || a.hunk.lines.length - b.hunk.lines.length);
  const included: ScoredHunk[] = [];
  const omitted: ScoredHunk[] = [];
  let left = budgetTokens;
  // One hunk may take at most 40% of the budget, so a huge hunk cannot crowd out every other.
  const perHunk = Math.max(200, Math.floor(budgetTokens * 0.4));
  for (const candidate of candidates) {
    const hunk = truncateHunk(candidate, Math.min(perHunk, left));
    const cost = estimateTokens(`${renderHunk(hunk)}\n\n`);
    if (cost <= left && hunk.hunk.lines.length > 0) {
      included.push(hunk);
      left -= cost;
    } else omitted.push(candidate);
  }
  return { included, omitted, summarised, secretFiles };
}
