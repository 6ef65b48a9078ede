// One-line and detailed descriptions of a host's change, shared by every report format. The
// one-line summary is plain text (escaped where it meets markdown); the details are markdown.
import type { HostChange } from '../../model/host-change.js';
import { codeBlock, codeSpan, escapeMarkdown as esc } from './markdown.js';

export function versionOf(value: string | null): string {
  if (!value) return '∅';
  // `linux-6.6.66/bzImage` -> `6.6.66`; other values as they are.
  const match = /-(\d[\w.+-]*?)(?:-modules)?(?:\/|$)/.exec(value);
  return match?.[1] ?? value;
}

export function summarizeHost(h: HostChange): string {
  switch (h.status) {
    case 'unchanged':
      return 'unchanged';
    case 'added':
      return 'new host';
    case 'removed':
      return 'removed from the flake';
    case 'failed':
      return `${h.error?.phase === 'build' ? 'build' : 'evaluation'} failed${h.error?.revision === 'base' ? ' (base)' : ''}`;
  }
  if (h.revisionOnly) return 'configuration revision only';
  const parts: string[] = [];
  if (h.boot.kernel) parts.push(`kernel ${versionOf(h.boot.kernel.from)} → ${versionOf(h.boot.kernel.to)}`);
  else if (h.boot.kernelModules) parts.push('kernel modules');
  if (h.boot.initrd && !h.boot.kernel) parts.push('initrd');
  if (h.boot.kernelParams) parts.push('kernel params');
  if (h.boot.firmware) parts.push('firmware');
  if (h.boot.systemd) parts.push('systemd');
  if (h.boot.switchInhibitors) parts.push(`switch inhibitor ${h.boot.switchInhibitors.map((k) => k.key).join(', ')}`);
  for (const action of ['restart', 'reload', 'start', 'stop', 'skip'] as const) {
    const units = h.units.filter((u) => u.action === action).map((u) => u.unit);
    if (units.length === 0) continue;
    const verb = { restart: 'restarts', reload: 'reloads', start: 'starts', stop: 'stops', skip: 'NOT restarted:' }[action];
    parts.push(`${verb} ${units.length > 3 ? `${units.slice(0, 3).join(', ')} +${units.length - 3}` : units.join(', ')}`);
  }
  const mounts = h.mounts.filter((m) => !m.swap);
  if (mounts.length > 0) parts.push(`${mounts.length === 1 ? 'mount' : 'mounts'} ${mounts.map((m) => `${m.mountPoint} (${m.change})`).join(', ')}`);
  if (h.mounts.some((m) => m.swap)) parts.push('swap');
  if (h.packages.length > 0) parts.push(`${h.packages.length} package${h.packages.length === 1 ? '' : 's'}`);
  if (parts.length === 0 && h.etc.length > 0) parts.push(`/etc: ${h.etc.slice(0, 3).join(', ')}`);
  return parts.length > 0 ? parts.join('; ') : 'changed';
}

/** Markdown bullet lines with everything known about a changed host; names escaped (markdown.ts). */
export function detailHost(h: HostChange): string[] {
  const lines: string[] = [];
  const span = (value: string | null) => codeSpan(value ?? '∅');
  if (h.toplevel.base || h.toplevel.head) lines.push(`- toplevel: ${span(h.toplevel.base)} → ${span(h.toplevel.head)}`);
  const boot = h.boot;
  for (const [name, change] of [
    ['kernel', boot.kernel],
    ['initrd', boot.initrd],
    ['kernel-modules', boot.kernelModules],
    ['kernel-params', boot.kernelParams],
    ['firmware', boot.firmware],
    ['systemd', boot.systemd],
  ] as const) {
    if (change) lines.push(`- ${name}: ${span(change.from)} → ${span(change.to)}`);
  }
  for (const k of boot.rebootTriggers ?? []) lines.push(`- reboot-trigger ${esc(k.key)}: ${span(k.from)} → ${span(k.to)}`);
  for (const k of boot.switchInhibitors ?? []) lines.push(`- switch-inhibitor ${esc(k.key)}: ${span(k.from)} → ${span(k.to)}`);
  for (const u of h.units) {
    const keys = u.changedKeys.length > 0 ? ` — changed: ${esc(u.changedKeys.slice(0, 5).join(', '))}` : '';
    lines.push(`- unit ${codeSpan(u.unit)} ${u.change}: **${u.action}** (${esc(u.why)})${u.critical ? ' — critical' : ''}${keys}`);
  }
  for (const m of h.mounts) lines.push(`- ${m.swap ? 'swap' : 'mount'} ${codeSpan(m.mountPoint)} (${esc(m.fsType)}) ${m.change}: ${span(m.from)} → ${span(m.to)}`);
  for (const p of h.packages.slice(0, 40)) lines.push(`- package ${esc(p.name)}: ${esc(p.from.join(', ') || '∅')} → ${esc(p.to.join(', ') || '∅')}${p.major ? ' (major)' : ''}`);
  if (h.packages.length > 40) lines.push(`- …and ${h.packages.length - 40} more packages`);
  for (const file of h.etc.slice(0, 20)) lines.push(`- ${codeSpan(`/etc/${file}`)} changed`);
  // Evaluation level only: options no toplevel file shows as such (users, firewall, bootloader).
  for (const o of h.options ?? []) lines.push(`- option ${codeSpan(o.key)}: ${span(o.from)} → ${span(o.to)}`);
  if (h.error) lines.push(`- ${h.error.phase} error at ${h.error.revision}${h.error.file ? ` (${codeSpan(`${h.error.file}${h.error.line ? `:${h.error.line}` : ''}`)})` : ''}:`, '', ...codeBlock(h.error.lines));
  return lines;
}
