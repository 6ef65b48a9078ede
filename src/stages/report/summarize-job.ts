// One-line and detailed descriptions of a Nomad job's change, shared by the markdown report and
// the LLM prompt. The one-line summaries are plain text (escaped where they meet markdown); the
// details are markdown.
import type { JobChange } from '../../model/job-change.js';
import type { JobPlanResult } from '../../model/job-plan.js';
import { codeSpan, escapeMarkdown as esc } from './markdown.js';

export function summarizeJob(j: JobChange): string {
  if (j.change === 'added') return `new ${j.type} job${j.stateful ? ' (stateful)' : ''}`;
  if (j.change === 'removed') return `removed${j.stateful ? ' (holds data)' : ''}`;
  const parts: string[] = [];
  for (const i of j.images) parts.push(`${i.task}: ${i.from ?? '∅'} → ${i.to ?? '∅'} (${i.bump})`);
  if (j.typeFrom) parts.push(`type ${j.typeFrom} → ${j.type}`);
  if (j.groups.length) parts.push(`groups ${j.groups.map((g) => `${g.group} ${g.change}`).join(', ')}`);
  if (j.count.length) parts.push(`count ${j.count.map((c) => `${c.group} ${c.from ?? '∅'}→${c.to ?? '∅'}`).join(', ')}`);
  if (j.resources.length) parts.push(`resources (${j.resources.map((r) => `${r.field} ${r.from ?? '∅'}→${r.to ?? '∅'}`).join(', ')})`);
  if (j.ports.length) parts.push(`ports ${j.ports.map((p) => `${p.label} ${p.change}${p.static ? ' (static)' : ''}`).join(', ')}`);
  if (j.volumes.length) parts.push(`volumes ${j.volumes.map((v) => `${v.kind} ${v.change}`).join(', ')}`);
  if (j.routes.length) parts.push(`routes ${j.routes.map((r) => `${r.router} ${r.change}${r.public ? ' (public)' : ''}`).join(', ')}`);
  if (j.services.length) parts.push(`services ${j.services.map((s) => s.service).join(', ')}`);
  if (j.update.length) parts.push('update stanza');
  if (j.other.length) parts.push(`${j.other.length} other field${j.other.length === 1 ? '' : 's'}`);
  return parts.length ? parts.join('; ') : 'changed';
}

export function summarizePlan(result: JobPlanResult): string {
  if (!result.planned) return result.note;
  const totals = { place: 0, stop: 0, inPlaceUpdate: 0, destructiveUpdate: 0, canary: 0, migrate: 0 };
  for (const g of result.plan.groups) for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += g[k];
  const words: [keyof typeof totals, string][] = [
    ['place', 'place'],
    ['stop', 'stop'],
    ['inPlaceUpdate', 'in-place update'],
    ['destructiveUpdate', 'destructive update'],
    ['canary', 'canary'],
    ['migrate', 'migrate'],
  ];
  const parts = words.filter(([k]) => totals[k] > 0).map(([k, w]) => `${totals[k]} ${w}`);
  const failed = result.plan.failedPlacements.length ? `; placement failures: ${result.plan.failedPlacements.join(', ')}` : '';
  return `plan: ${parts.length ? parts.join(', ') : 'no allocation changes'}${failed}`;
}

/** Markdown bullets with everything known about a job change; names escaped (markdown.ts). */
export function detailJob(j: JobChange): string[] {
  const span = (value: string | null) => codeSpan(value ?? '∅');
  const lines = [`- file ${codeSpan(`${j.file}${j.line ? `:${j.line}` : ''}`)}, ${esc(j.type)} job${j.stateful ? `, stateful: ${esc(j.statefulBecause.join('; '))}` : ''}`];
  for (const i of j.images) lines.push(`- image ${esc(`${i.group}/${i.task}`)}: ${span(i.from)} → ${span(i.to)} — ${i.bump}${i.note ? ` (${esc(i.note)})` : ''}`);
  for (const p of j.ports) lines.push(`- port ${esc(`${p.group}/${p.label}`)} ${p.change}: ${span(p.from)} → ${span(p.to)}${p.static ? ' (static)' : ''}`);
  for (const v of j.volumes) lines.push(`- ${esc(v.kind)} ${v.change}: ${span(v.from)} → ${span(v.to)}${v.data ? ' (data)' : ''}`);
  for (const r of j.routes) lines.push(`- route ${esc(r.router)} ${r.change}${r.public ? ' (public)' : ''}: auth [${esc(r.authFrom.join(', '))}] → [${esc(r.authTo.join(', '))}]${r.ruleTo ? `, rule ${codeSpan(r.ruleTo)}` : ''}`);
  for (const u of j.update) lines.push(`- update ${esc(`${u.group ?? '(job)'}.${u.field}`)}: ${esc(String(u.from ?? '∅'))} → ${esc(String(u.to ?? '∅'))}`);
  for (const u of j.unresolved) lines.push(`- unresolved expression kept as written: ${codeSpan(u)}`);
  lines.push(`- ${esc(summarizePlan(j.plan))}`);
  if (j.plan.planned) for (const f of j.plan.plan.fields.slice(0, 15)) lines.push(`  - ${esc(f.type)} ${codeSpan(f.path)}: ${codeSpan(String(f.old))} → ${codeSpan(String(f.new))}`);
  return lines;
}
