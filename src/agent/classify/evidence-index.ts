// What exists in a change and may be cited: hosts, units per host, jobs, files and the lines the
// diff covers, rule ids. An LLM citation that names anything else is invented (pure).
import type { RulesVerdict } from '../../model/review.js';
import type { LlmEvidence } from './answer-schema.js';
import { hunkCovers, type PatchFile } from './parse-patch.js';
import type { ChangeSetForReview } from './render-changeset.js';

export interface EvidenceIndex {
  hosts: Set<string>;
  unitsByHost: Map<string, Set<string>>;
  jobs: Set<string>;
  files: Set<string>;
  /** Per file: lines that are citable (signals, rule citations), besides the lines its hunks cover. */
  lines: Map<string, Set<number>>;
  patch: Map<string, PatchFile>;
  ruleIds: Set<string>;
}

/** Job identifiers from the (generic, not yet typed) job changes: the usual id-like fields. */
export function buildEvidenceIndex(cs: ChangeSetForReview, rules: RulesVerdict, patch: PatchFile[]): EvidenceIndex {
  const lines = new Map<string, Set<number>>();
  const addLine = (file: string, line: number) => lines.set(file, (lines.get(file) ?? new Set()).add(line));
  const unitsByHost = new Map<string, Set<string>>();
  for (const h of cs.hosts) unitsByHost.set(h.host, new Set([...h.units.map((u) => u.unit), ...h.mounts.map((m) => m.unit)]));
  const files = new Set(cs.repo.files.flatMap((f) => (f.oldPath ? [f.path, f.oldPath] : [f.path])));
  const jobs = new Set(cs.jobs.map((j) => j.job));
  for (const j of cs.jobs) files.add(j.file);
  for (const s of cs.repo.signals) addLine(s.file, s.line);
  const ruleIds = new Set<string>();
  for (const r of rules.reasons) {
    ruleIds.add(r.ruleId);
    for (const e of r.evidence) {
      // What the rules cite exists by construction (the analysis found it).
      if (e.host) unitsByHost.set(e.host, unitsByHost.get(e.host) ?? new Set());
      if (e.host && e.unit) unitsByHost.get(e.host)?.add(e.unit);
      if (e.job) jobs.add(e.job);
      if (e.file) files.add(e.file);
      if (e.file && e.line) addLine(e.file, e.line);
    }
  }
  return {
    hosts: new Set(unitsByHost.keys()),
    unitsByHost,
    jobs,
    files,
    lines,
    patch: new Map(patch.map((f) => [f.path, f])),
    ruleIds,
  };
}

/** Problems with one citation; empty when everything it names exists in the change. */
export function checkEvidence(e: LlmEvidence, index: EvidenceIndex): string[] {
  const problems: string[] = [];
  if (!e.host && !e.unit && !e.job && !e.file && !e.ruleId) return ['cites nothing'];
  if (e.host && !index.hosts.has(e.host)) problems.push(`host "${e.host}" is not part of this change`);
  if (e.unit) {
    const onHost = e.host ? index.unitsByHost.get(e.host) : undefined;
    if (e.host && onHost && !onHost.has(e.unit)) problems.push(`unit "${e.unit}" does not change on host "${e.host}"`);
    else if (!e.host && ![...index.unitsByHost.values()].some((units) => units.has(e.unit as string))) problems.push(`unit "${e.unit}" does not change on any host`);
  }
  if (e.job && !index.jobs.has(e.job)) problems.push(`job "${e.job}" is not part of this change`);
  if (e.file && !index.files.has(e.file)) problems.push(`file "${e.file}" is not changed`);
  else if (e.file && e.line !== undefined) {
    const inHunk = index.patch.get(e.file)?.hunks.some((h) => hunkCovers(h, e.line as number)) ?? false;
    if (!inHunk && !index.lines.get(e.file)?.has(e.line)) problems.push(`${e.file}:${e.line} is not a changed line`);
  }
  if (e.line !== undefined && !e.file) problems.push('a line number without a file');
  if (e.ruleId && !index.ruleIds.has(e.ruleId)) problems.push(`rule "${e.ruleId}" did not fire`);
  return problems;
}

export function formatLlmEvidence(e: LlmEvidence): string {
  return [
    e.host && `host ${e.host}`,
    e.job && `job ${e.job}`,
    e.unit && `unit ${e.unit}`,
    e.file && (e.line ? `${e.file}:${e.line}` : e.file),
    e.ruleId && `rule ${e.ruleId}`,
  ]
    .filter(Boolean)
    .join(', ');
}
