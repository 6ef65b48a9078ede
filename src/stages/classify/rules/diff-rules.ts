// Diff-level rules: used when there is no build (no Nix, --no-build, or a failed build). They
// classify changed Nix lines by the option they set; the build level is authoritative when present.
import type { DiffSignal } from '../../../model/repo-change.js';
import type { Label } from '../../../model/label.js';
import { capEvidence, plural, type Finding, type Rule, type RuleContext } from '../rule.js';
import { OPTION_CATEGORIES, unitOfOption } from './diff-option-table.js';

interface Categorised {
  id: string;
  label: Label;
  what: string;
  signal: DiffSignal;
}

function categorise(signal: DiffSignal, ctx: RuleContext): Categorised {
  const unit = unitOfOption(signal.option);
  if (unit && ctx.isCritical(unit)) return { id: 'diff.critical-unit', label: 'risky', what: 'critical systemd units', signal };
  for (const c of OPTION_CATEGORIES) if (c.test.test(signal.option)) return { ...c, signal };
  // Code no option explains (a top-level expression, a helper used in ways diff level cannot
  // follow): what it changes is unknown, and CLASSIFICATION.md says a rule that cannot tell clean
  // from risky says risky (issue 10: never clean by default).
  if (signal.option === '') return { id: 'diff.unattributed', label: 'risky', what: 'Nix code that diff level cannot attribute to an option (not followed: review it)', signal };
  return { id: 'diff.leaf', label: 'clean', what: 'leaf services, packages and other options', signal };
}

/** A filesystem whose device or type differs between the removed and added lines is risky. */
function refineFilesystems(items: Categorised[]): Categorised[] {
  const byOption = new Map<string, Categorised[]>();
  for (const item of items) {
    if (item.id !== 'diff.filesystems') continue;
    pushTo(byOption, `${item.signal.file}\u0000${item.signal.option.split('.').slice(0, 2).join('.')}`, item);
  }
  const value = (texts: string[], key: string) => texts.map((t) => new RegExp(`${key}\\s*=\\s*("[^"]*"|[^;\\s]+)`).exec(t)?.[1]).filter(Boolean).join(',');
  for (const group of byOption.values()) {
    const removed = group.filter((g) => g.signal.side === 'removed').map((g) => g.signal.text);
    const added = group.filter((g) => g.signal.side === 'added').map((g) => g.signal.text);
    const isSwap = group[0]?.signal.option.startsWith('swapDevices');
    const deviceChanged = ['device', 'fsType'].some((k) => value(removed, k) !== value(added, k) && value(removed, k) !== '' && value(added, k) !== '');
    const swapRemoved = isSwap && removed.length > 0 && added.length === 0;
    if (deviceChanged || swapRemoved) {
      for (const g of group) Object.assign(g, { id: swapRemoved ? 'diff.swap-removed' : 'diff.filesystem-device', label: 'risky', what: swapRemoved ? 'swap devices removed' : 'filesystem device or type' });
    }
  }
  return items;
}

/** Appends in place: copying a group per item made large diffs quadratic (issue 9, defect 6). */
function pushTo<K, V>(groups: Map<K, V[]>, key: K, item: V): void {
  const group = groups.get(key);
  if (group) group.push(item);
  else groups.set(key, [item]);
}

// Every diff rule reads the same categorisation, grouped by rule id then by file: computed once
// per ChangeSet, so each rule only walks its own items.
const categorised = new WeakMap<object, Map<string, Map<string, Categorised[]>>>();

function categoriseAll(ctx: RuleContext): Map<string, Map<string, Categorised[]>> {
  const byId = new Map<string, Map<string, Categorised[]>>();
  for (const item of refineFilesystems(ctx.changeSet.repo.signals.map((s) => categorise(s, ctx)))) {
    let byFile = byId.get(item.id);
    if (!byFile) byId.set(item.id, (byFile = new Map()));
    pushTo(byFile, item.signal.file, item);
  }
  return byId;
}

function evaluateDiff(ctx: RuleContext, wantedId: string): Finding[] {
  if (ctx.changeSet.level !== 'diff') return [];
  let all = categorised.get(ctx.changeSet);
  if (!all) {
    all = categoriseAll(ctx);
    categorised.set(ctx.changeSet, all);
  }
  return [...(all.get(wantedId) ?? new Map<string, Categorised[]>()).entries()].map(([file, group]) => {
    const options = [...new Set(group.map((g) => g.signal.option).filter(Boolean))];
    const hosts = [...new Set(group.flatMap((g) => g.signal.hosts))];
    return {
      label: group[0]?.label,
      message: `${group[0]?.what}: ${plural(group.length, 'changed line')} in ${file}${options.length ? ` (${options.slice(0, 4).join(', ')}${options.length > 4 ? ', …' : ''})` : ''}${hosts.length ? ` for ${hosts.join(', ')}` : ' (shared: may reach every host importing it)'}`,
      evidence: capEvidence(
        group.map((g) => ({ file, line: g.signal.line, ...(g.signal.hosts.length === 1 ? { host: g.signal.hosts[0] } : {}), signal: g.signal.option || 'nix', detail: `${g.signal.side === 'added' ? '+' : '-'} ${g.signal.text}${g.signal.via ? ` (reaches ${g.signal.via})` : ''}` })),
        8,
      ),
    };
  });
}

const DIFF_IDS: { id: string; label: Label; summary: string }[] = [
  ...OPTION_CATEGORIES.map((c) => ({ id: c.id, label: c.label, summary: `Diff level: changed lines setting ${c.what}.` })),
  { id: 'diff.critical-unit', label: 'risky', summary: 'Diff level: a critical systemd unit is defined or changed.' },
  { id: 'diff.filesystem-device', label: 'risky', summary: 'Diff level: a filesystem changes its device or type.' },
  { id: 'diff.swap-removed', label: 'risky', summary: 'Diff level: a swap device is removed.' },
  { id: 'diff.leaf', label: 'clean', summary: 'Diff level: leaf services, packages and other options.' },
  { id: 'diff.unattributed', label: 'risky', summary: 'Diff level: changed Nix code that no option explains (cannot be followed, so not clean).' },
];

export const diffRules: Rule[] = DIFF_IDS.map((d) => ({ ...d, evaluate: (ctx) => evaluateDiff(ctx, d.id) }));
