// The ChangeSet as compact text for the prompt: hosts with identical changes are grouped (a shared
// module touching 30 hosts reads as one group), long lists are capped, store paths shortened.
import { summarizeJob, summarizePlan } from '../../stages/report/summarize-job.js';
import type { ChangeSet } from '../../model/changeset.js';
import type { HostChange, UnitChange, ValueChange } from '../../model/host-change.js';
import type { RulesVerdict } from '../../model/review.js';
import { sanitiseInline, type SanitiseCounts } from './sanitize.js';

/** The ChangeSet as the prompt reads it. */
export type ChangeSetForReview = ChangeSet;

const CAP = { files: 40, signals: 30, hostNames: 24, units: 30, mounts: 15, packages: 20, etc: 15, jobs: 40, jobChars: 700, reasons: 40 };

function more(total: number, shown: number, what: string): string[] {
  return total > shown ? [`  … and ${total - shown} more ${what}`] : [];
}

/** `/nix/store/<hash>-linux-6.6.30/bzImage` -> `linux-6.6.30/bzImage`. */
export function shortenStorePaths(text: string): string {
  return text.replace(/\/nix\/store\/[0-9a-z]{32}-/g, '');
}

function valueChange(v: ValueChange): string {
  return `${v.from === null ? '(none)' : shortenStorePaths(v.from)} → ${v.to === null ? '(none)' : shortenStorePaths(v.to)}`;
}

function renderUnit(u: UnitChange, s: (t: string) => string): string {
  const mark = { added: '+', removed: '-', changed: '~' }[u.change];
  const flags = [u.critical ? 'CRITICAL' : '', u.stateful ? 'stateful' : ''].filter(Boolean).join(', ');
  const keys = u.changedKeys.length ? ` keys: ${u.changedKeys.slice(0, 8).map(s).join(', ')}` : '';
  return `    ${mark} ${s(u.unit)} → ${u.action}${flags ? ` [${flags}]` : ''}${u.why ? ` (${s(u.why)})` : ''}${keys}`;
}

function renderHostBody(h: HostChange, s: (t: string) => string): string[] {
  const out: string[] = [];
  if (h.error) out.push(`  ${h.error.phase} error at ${h.error.revision}${h.error.file ? ` (${s(h.error.file)}:${h.error.line ?? '?'})` : ''}: ${s(h.error.lines.slice(0, 3).join(' | '))}`);
  if (h.revisionOnly) out.push('  only the revision stamp changed: nothing a switch acts on');
  const boot: string[] = [];
  for (const key of ['kernel', 'initrd', 'kernelModules', 'kernelParams', 'firmware', 'systemd'] as const) {
    const v = h.boot[key];
    if (v) boot.push(`${key} ${s(valueChange(v))}`);
  }
  for (const k of h.boot.rebootTriggers ?? []) boot.push(`reboot-trigger ${s(k.key)}: ${s(valueChange(k))}`);
  for (const k of h.boot.switchInhibitors ?? []) boot.push(`switch-inhibitor ${s(k.key)}: ${s(valueChange(k))}`);
  if (boot.length) out.push(`  boot: ${boot.join('; ')}`);
  if (h.units.length) {
    out.push(`  units (${h.units.length}):`);
    const ordered = [...h.units].sort((a, b) => Number(b.critical) - Number(a.critical) || a.unit.localeCompare(b.unit));
    out.push(...ordered.slice(0, CAP.units).map((u) => renderUnit(u, s)), ...more(ordered.length, CAP.units, 'units'));
  }
  if (h.mounts.length) {
    out.push('  mounts:');
    for (const m of h.mounts.slice(0, CAP.mounts)) {
      const kind = [m.fsType, m.network ? 'network' : '', m.swap ? 'swap' : ''].filter(Boolean).join(', ');
      out.push(`    ${s(m.mountPoint)} (${s(kind)}, ${s(m.unit)}) ${m.change}: ${s(m.from ?? '(none)')} → ${s(m.to ?? '(none)')}`);
    }
    out.push(...more(h.mounts.length, CAP.mounts, 'mounts'));
  }
  if (h.packages.length) {
    const ordered = [...h.packages].sort((a, b) => Number(b.major) - Number(a.major) || a.name.localeCompare(b.name));
    const shown = ordered.slice(0, CAP.packages).map((p) => `${s(p.name)} ${s(p.from.join('/') || '(new)')} → ${s(p.to.join('/') || '(removed)')}${p.major ? ' [MAJOR]' : ''}`);
    out.push(`  packages (${h.packages.length}): ${shown.join('; ')}${h.packages.length > CAP.packages ? `; … ${h.packages.length - CAP.packages} more` : ''}`);
  }
  if (h.etc.length) out.push(`  /etc files: ${h.etc.slice(0, CAP.etc).map(s).join(', ')}${h.etc.length > CAP.etc ? `, … ${h.etc.length - CAP.etc} more` : ''}`);
  return out;
}

/** Hosts whose changes are identical share one group; the key ignores what differs per host. */
function groupHosts(hosts: HostChange[]): HostChange[][] {
  const groups = new Map<string, HostChange[]>();
  for (const h of hosts) {
    const { host: _host, roles: _roles, toplevel: _toplevel, ...rest } = h;
    const key = JSON.stringify(rest);
    groups.set(key, [...(groups.get(key) ?? []), h]);
  }
  return [...groups.values()];
}

function renderHosts(hosts: HostChange[], s: (t: string) => string): string[] {
  const unchanged = hosts.filter((h) => h.status === 'unchanged');
  const touched = hosts.filter((h) => h.status !== 'unchanged');
  const out = [`Hosts: ${touched.length} touched, ${unchanged.length} unchanged`];
  if (unchanged.length) out.push(`Unchanged: ${unchanged.slice(0, CAP.hostNames).map((h) => s(h.host)).join(', ')}${unchanged.length > CAP.hostNames ? `, … ${unchanged.length - CAP.hostNames} more` : ''}`);
  for (const group of groupHosts(touched)) {
    const first = group[0];
    if (!first) continue;
    const names = group.slice(0, CAP.hostNames).map((h) => s(h.host)).join(', ') + (group.length > CAP.hostNames ? `, … ${group.length - CAP.hostNames} more` : '');
    const roles = [...new Set(group.flatMap((h) => h.roles))];
    out.push('', `${group.length === 1 ? 'Host' : `${group.length} hosts with identical changes`} [${first.status}]${roles.length ? ` roles: ${roles.map(s).join(', ')}` : ''}: ${names}`);
    out.push(...renderHostBody(first, s));
  }
  return out;
}

function renderRepo(cs: ChangeSetForReview, s: (t: string) => string): string[] {
  const { repo } = cs;
  const adds = repo.files.reduce((n, f) => n + f.additions, 0);
  const dels = repo.files.reduce((n, f) => n + f.deletions, 0);
  const out = [`Files: ${repo.files.length} changed (+${adds} −${dels})${repo.docsOnly ? ', documentation only' : ''}`];
  const status = { added: 'A', modified: 'M', deleted: 'D', renamed: 'R' } as const;
  for (const f of repo.files.slice(0, CAP.files)) {
    const tags = [f.kind, f.hosts.length ? `hosts: ${f.hosts.map(s).join(', ')}` : 'shared', f.cosmetic ? 'comments/whitespace only' : ''].filter(Boolean);
    const path = f.oldPath ? `${s(f.oldPath)} → ${s(f.path)}` : s(f.path);
    out.push(`  ${status[f.status]} ${path} [${tags.join('; ')}] +${f.additions} −${f.deletions}`);
  }
  out.push(...more(repo.files.length, CAP.files, 'files'));
  if (repo.secrets.length) out.push(`Secret files touched (contents never read): ${repo.secrets.map(s).join(', ')}`);
  for (const i of repo.inputs) {
    const reach = i.reaches === null ? 'reach unknown' : `reaches ${i.reaches.length} hosts${i.reaches.length ? `: ${i.reaches.slice(0, CAP.hostNames).map(s).join(', ')}` : ''}`;
    out.push(`Flake input ${s(i.input)} ${i.change}: ${s(i.from ?? '(none)')} → ${s(i.to ?? '(none)')} (${reach})`);
  }
  if (repo.signals.length) {
    out.push(`Option-level signals (${repo.signals.length}):`);
    for (const g of repo.signals.slice(0, CAP.signals)) {
      // The same facts the diff rules used: hosts the module graph reached and the references it
      // followed (a custom option's or an import's path is in the text itself).
      const facts = [g.hosts.length ? `hosts: ${g.hosts.map(s).join(', ')}` : '', g.via ? `reaches ${s(g.via)}` : ''].filter(Boolean);
      out.push(`  ${s(g.file)}:${g.line} ${g.side === 'added' ? '+' : '-'} ${s(g.option || '(no option: diff level cannot follow this line)')}: ${s(g.text.trim()).slice(0, 200)}${facts.length ? ` (${facts.join('; ')})` : ''}`);
    }
    out.push(...more(repo.signals.length, CAP.signals, 'signals'));
  }
  return out;
}

/** Nomad job changes: one line per job, its plan, and the head's static validation errors. */
function renderJobs(cs: ChangeSet, s: (t: string) => string): string[] {
  const out = [`Nomad jobs: ${cs.jobs.length} changed`];
  for (const job of cs.jobs.slice(0, CAP.jobs)) {
    out.push(`  ${s(job.job)} [${job.change}, ${job.type}${job.stateful ? ', stateful' : ''}] ${s(job.file)}${job.line ? `:${job.line}` : ''}: ${s(summarizeJob(job)).slice(0, CAP.jobChars)}; ${s(summarizePlan(job.plan))}`);
  }
  out.push(...more(cs.jobs.length, CAP.jobs, 'jobs'));
  for (const f of cs.jobFindings.filter((x) => x.severity === 'error').slice(0, 20)) out.push(`  static error ${s(f.file)}:${f.line} ${s(f.code)}: ${s(f.message)}`);
  return out;
}

export function renderChangeSetSummary(cs: ChangeSetForReview, counts: SanitiseCounts): string {
  const s = (t: string) => sanitiseInline(t, counts);
  const out = [`Change ${s(cs.base.slice(0, 12))} → ${s(cs.head.slice(0, 12))}; analysis level: ${cs.level}${cs.levelNote ? ` (${s(cs.levelNote)})` : ''}`];
  out.push(...renderRepo(cs, s));
  for (const e of cs.errors) {
    const where = e.file ? ` (${s(e.file)}:${e.line ?? '?'})` : '';
    out.push(`${e.phase} error at ${e.revision}${e.host ? ` on host ${s(e.host)}` : ''}${where}: ${s(e.lines.slice(0, 3).join(' | '))}`);
  }
  out.push('', ...renderHosts(cs.hosts, s));
  if (cs.jobs.length || cs.jobFindings.length) out.push('', ...renderJobs(cs, s));
  return out.join('\n');
}

export function renderRulesVerdict(rules: RulesVerdict, counts: SanitiseCounts): string {
  const s = (t: string) => sanitiseInline(t, counts);
  const out = [`Rules label: ${rules.label}`];
  const byLabel = new Map<string, string[]>();
  for (const [host, label] of Object.entries(rules.hosts)) byLabel.set(label, [...(byLabel.get(label) ?? []), s(host)]);
  for (const [label, hosts] of byLabel) out.push(`Hosts ${label}: ${hosts.join(', ')}`);
  out.push(`Reasons (${rules.reasons.length}):`);
  for (const r of rules.reasons.slice(0, CAP.reasons)) {
    const ev = r.evidence
      .map((e) => [e.host && `host ${e.host}`, e.job && `job ${e.job}`, e.unit && `unit ${e.unit}`, e.file && (e.line ? `${e.file}:${e.line}` : e.file), e.signal, e.detail].filter(Boolean).join(', '))
      .map(s)
      .join(' | ');
    out.push(`  [${r.label}] ${s(r.ruleId)}: ${s(r.message)}${ev ? ` — ${ev}` : ''}`);
  }
  out.push(...more(rules.reasons.length, CAP.reasons, 'reasons'));
  return out.join('\n');
}
