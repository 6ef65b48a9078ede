// The rules engine: runs every rule over the ChangeSet and takes the most severe label. Its
// verdict is the floor that nothing (not even the LLM) can lower. Deterministic and pure.
import picomatch from 'picomatch';
import type { ChangeSet } from '../../model/changeset.js';
import type { Evidence, Reason } from '../../model/evidence.js';
import { mostSevere, severity, type Label } from '../../model/label.js';
import type { RulesVerdict } from '../../model/review.js';
import type { Rule, RuleContext } from './rule.js';
import { ALL_RULES } from './rules/index.js';

export interface ClassifyOptions {
  criticalUnits: string[];
  /** Per rule id: a forced label, or 'off'. */
  overrides: Record<string, Label | 'off'>;
  nixpkgsBumpHosts: number;
  /** Rules contributed by other analyses (e.g. Nomad jobs). */
  extraRules?: Rule[];
}

export function classifyRules(changeSet: ChangeSet, options: ClassifyOptions): RulesVerdict {
  const ctx: RuleContext = { changeSet, isCritical: picomatch(options.criticalUnits), nixpkgsBumpHosts: options.nixpkgsBumpHosts };
  const reasons: Reason[] = [];
  for (const rule of [...ALL_RULES, ...(options.extraRules ?? [])]) {
    for (const finding of rule.evaluate(ctx)) {
      const ruleId = finding.ruleId ?? rule.id;
      const override = options.overrides[ruleId] ?? options.overrides[rule.id];
      if (override === 'off') continue;
      const label = override ?? finding.label ?? rule.label;
      const note = override && override !== (finding.label ?? rule.label) ? ' [label set by steward.json]' : '';
      reasons.push({ ruleId, label, message: finding.message + note, evidence: finding.evidence });
    }
  }
  if (reasons.length === 0) reasons.push(nothingToDo(changeSet));
  // Most severe first, then in rule order: the report reads from what matters.
  const ordered = mergeAcrossHosts(reasons).map((r, i) => ({ r, i })).sort((a, b) => severity(b.r.label) - severity(a.r.label) || a.i - b.i).map(({ r }) => r);
  return {
    label: mostSevere(...ordered.map((r) => r.label)),
    reasons: ordered,
    hosts: labelsBy(changeSet.hosts.map((h) => h.host), ordered, (e) => e.host),
    jobs: labelsBy(changeSet.jobs.map((j) => j.job), ordered, (e) => e.job),
  };
}

/**
 * The same finding on several hosts (a shared module reaching the fleet) becomes one reason
 * naming every host, with all their evidence: reports and prompts stay short.
 */
export function mergeAcrossHosts(reasons: Reason[]): Reason[] {
  const merged = new Map<string, { reason: Reason; hosts: string[] }>();
  for (const reason of reasons) {
    const cited = [...new Set(reason.evidence.map((e) => e.host).filter((h): h is string => Boolean(h)))];
    const host = cited.length === 1 ? cited[0] : undefined;
    const template = host ? templateFor(reason.message, host) : null;
    const details = reason.evidence.map((e) => `${e.unit ?? ''}|${e.signal ?? ''}|${e.detail ?? ''}|${e.file ?? ''}`).join(';');
    const key = template ? `${reason.ruleId}\u0000${reason.label}\u0000${template}\u0000${details}` : `unique\u0000${merged.size}`;
    const entry = merged.get(key);
    if (entry && host) {
      entry.hosts.push(host);
      entry.reason.evidence.push(...reason.evidence);
    } else merged.set(key, { reason: { ...reason, evidence: [...reason.evidence] }, hosts: host ? [host] : [] });
  }
  return [...merged.entries()].map(([key, { reason, hosts: names }]) => {
    if (names.length < 2 || key.startsWith('unique')) return reason;
    return { ...reason, message: (templateFor(reason.message, names[0] as string) ?? reason.message).replace(HOST_SLOT, names.join(', ')) };
  });
}

const HOST_SLOT = '\u0001host\u0001';

/** The message with the host name (as a whole word) replaced by a slot, or null if absent. */
function templateFor(message: string, host: string): string | null {
  const re = new RegExp(`(?<![\\w.-])${host.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`);
  return re.test(message) ? message.replace(re, HOST_SLOT) : null;
}

function nothingToDo(changeSet: ChangeSet): Reason {
  const changedHosts = changeSet.hosts.filter((h) => h.status !== 'unchanged').length;
  return {
    ruleId: 'summary.no-effect',
    label: 'clean',
    message: changedHosts === 0 ? 'no host changes' : 'no change that a rule considers significant',
    evidence: [],
  };
}

/** Each target's label: the most severe reason citing it (clean for targets no reason cites). */
function labelsBy(names: string[], reasons: Reason[], cite: (e: Evidence) => string | undefined): Record<string, Label> {
  const labels: Record<string, Label> = Object.fromEntries(names.map((n) => [n, 'clean' as Label]));
  for (const reason of reasons) {
    for (const name of new Set(reason.evidence.map(cite).filter((n): n is string => Boolean(n)))) {
      labels[name] = mostSevere(labels[name] ?? 'clean', reason.label);
    }
  }
  return labels;
}

export function listRules(extra: Rule[] = []): { id: string; label: Label; summary: string }[] {
  return [...ALL_RULES, ...extra].map(({ id, label, summary }) => ({ id, label, summary }));
}
