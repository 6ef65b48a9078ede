// A classification rule: an id, the label it sets, and a pure function from the ChangeSet to
// findings that cite evidence. Rules never read untrusted text (commit messages, PR bodies).
import type { ChangeSet } from '../../model/changeset.js';
import type { Evidence } from '../../model/evidence.js';
import type { Label } from '../../model/label.js';

export interface RuleContext {
  changeSet: ChangeSet;
  /** Unit name -> is it critical (sshd, networking, firewall, quorum services...). */
  isCritical: (unit: string) => boolean;
  /** A nixpkgs bump reaching at least this many hosts is risky. */
  nixpkgsBumpHosts: number;
}

export interface Finding {
  message: string;
  evidence: Evidence[];
  /** Overrides the rule's label for this finding (e.g. a clean informational note). */
  label?: Label;
  /** A more specific rule id (rule families such as `job.*` name each finding). */
  ruleId?: string;
}

export interface Rule {
  id: string;
  label: Label;
  /** One line for the README's rule table and `steward rules`. */
  summary: string;
  evaluate(ctx: RuleContext): Finding[];
}

/** At most `max` evidence items, the rest summarised: reports stay readable on big changes. */
export function capEvidence(items: Evidence[], max = 12): Evidence[] {
  if (items.length <= max) return items;
  return [...items.slice(0, max), { detail: `…and ${items.length - max} more` }];
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}
