// Renders a context bundle into prompt blocks, strongest evidence first, and fits them into a
// token budget (~4 characters a token): what does not fit is cut or left out, and the prompt says so.
// Alert text, journal lines, commit subjects and repository documents are untrusted: fenced as data.
import { emptyCounts, fenceAsData, sanitiseInline } from '../../classify/sanitize.js';
import type { Part, SessionContext } from './bundle.js';

export interface Block {
  /** Lower comes first and is cut last. */
  priority: number;
  title: string;
  text: string;
}

export interface RenderedContext {
  text: string;
  tokens: number;
  omitted: string[];
}

export const estimateTokens = (text: string): number => Math.ceil(text.length / 4);

export function buildBlocks(context: SessionContext): Block[] {
  const counts = emptyCounts();
  const inline = (s: string) => sanitiseInline(s, counts);
  const blocks: Block[] = [];
  const trigger = context.trigger;
  if (trigger.kind === 'incident') {
    const alerts = trigger.alerts.map((a) => JSON.stringify({ status: a.status, labels: a.labels, annotations: a.annotations, startsAt: a.startsAt, fingerprint: a.fingerprint })).join('\n');
    blocks.push({ priority: 0, title: `Alerts of incident ${inline(trigger.incidentKey)}`, text: fenceAsData('alertmanager alerts', alerts, counts) });
  } else if (trigger.kind === 'ask') {
    blocks.push({ priority: 0, title: 'The question', text: fenceAsData('question from a person', trigger.question, counts) });
  } else if (trigger.kind === 'on-failure') {
    blocks.push({ priority: 0, title: 'Trigger', text: `systemd OnFailure= of ${inline(trigger.unit)}${trigger.host ? ` on ${inline(trigger.host)}` : ''}` });
  } else {
    blocks.push({ priority: 0, title: 'Trigger', text: 'scheduled health check' });
  }
  const notes = (['hosts', 'nomad', 'consul', 'deploys', 'commits', 'knowledge'] as const)
    .map((k) => context[k] as Part<unknown>)
    .filter((p): p is Extract<Part<unknown>, { status: 'missing' }> => p.status === 'missing')
    .map((p) => `- missing: ${inline(p.note)}`);
  if (context.hosts.status === 'ok') {
    for (const h of context.hosts.value) {
      if (h.note) notes.push(`- missing: host ${inline(h.host)}: ${inline(h.note)}`);
      const focus = trigger.kind === 'on-failure' && (trigger.host === undefined || trigger.host === h.host) && h.journal[trigger.unit];
      if (!h.failedUnits.length && !focus) continue;
      const journal = Object.entries(h.journal)
        .filter(([, lines]) => lines.length)
        .map(([unit, lines]) => fenceAsData(`journal of ${unit} on ${h.host}`, lines.join('\n'), counts))
        .join('\n');
      blocks.push({ priority: focus ? 1 : 2, title: `Host ${inline(h.host)}`, text: `failed units: ${h.failedUnits.map(inline).join(', ') || 'none'}\n${journal}` });
    }
    const healthy = context.hosts.value.filter((h) => !h.failedUnits.length && !h.note).map((h) => h.host);
    if (healthy.length) blocks.push({ priority: 7, title: 'Hosts without failed units', text: healthy.map(inline).join(', ') });
  }
  if (context.nomad.status === 'ok') {
    const n = context.nomad.value;
    for (const job of n.troubledJobs) {
      const allocs = job.troubled
        .map((a) => `- alloc ${a.id.slice(0, 8)} ${inline(a.name)} on ${inline(a.nodeName)}: ${a.clientStatus}${a.healthy === false ? ', unhealthy' : ''}${a.events?.length ? `\n${fenceAsData(`events of alloc ${a.id.slice(0, 8)}`, a.events.join('\n'), counts)}` : ''}`)
        .join('\n');
      const deployment = job.deployment ? `\ndeployment: ${job.deployment.status} (${inline(job.deployment.description)})` : '';
      blocks.push({ priority: 2, title: `Nomad job ${inline(job.id)} (${job.type}, ${job.status})`, text: `${allocs}${deployment}` });
    }
    blocks.push({ priority: 7, title: 'Nomad', text: `leader: ${n.leader ?? 'NONE'}; ${n.jobCount} jobs; healthy: ${n.healthyJobs.map(inline).join(', ') || 'none'}` });
  }
  if (context.consul.status === 'ok') {
    const c = context.consul.value;
    const bad = [...c.unhealthyMembers.map((m) => `- member ${inline(m.name)} (${m.role}): ${m.status}`), ...c.checks.map((k) => `- check ${inline(k.name)} on ${inline(k.node)}${k.service ? ` (${inline(k.service)})` : ''}: ${k.status}: ${inline(k.output.slice(0, 160))}`)];
    blocks.push({ priority: bad.length ? 2 : 7, title: 'Consul', text: `leader: ${c.leader ?? 'NONE'}; ${c.memberCount} members\n${bad.join('\n')}`.trim() });
  }
  if (notes.length) blocks.push({ priority: 3, title: 'Missing context', text: notes.join('\n') });
  if (context.deploys.status === 'ok' && context.deploys.value.entries.length) {
    const lines = context.deploys.value.entries.map((e) => `${e.at} ${e.kind}:${e.target} ${e.action} ${e.result} ${e.sha} ${e.message}`);
    blocks.push({ priority: 4, title: 'Last deploys', text: fenceAsData('deploy records', lines.join('\n'), counts) });
  }
  if (context.commits.status === 'ok' && context.commits.value.commits.length) {
    const lines = context.commits.value.commits.map((c) => `${c.sha} ${c.subject}`);
    blocks.push({ priority: 5, title: `Recent commits on ${inline(context.commits.value.ref)}`, text: fenceAsData('commit subjects', lines.join('\n'), counts) });
  }
  if (context.knowledge.status === 'ok') {
    for (const doc of context.knowledge.value.docs) blocks.push({ priority: 6, title: `Knowledge: ${inline(doc.title)} (${inline(doc.source)})`, text: fenceAsData(`knowledge ${doc.source}`, doc.excerpt, counts) });
  }
  return blocks;
}

/** Fits the blocks into `budgetTokens`, in priority order; a block that does not fit is cut, then left out. */
export function fitBlocks(blocks: Block[], budgetTokens: number): RenderedContext {
  const ordered = [...blocks].sort((a, b) => a.priority - b.priority);
  const parts: string[] = [];
  const omitted: string[] = [];
  let used = 0;
  for (const block of ordered) {
    const text = `### ${block.title}\n${block.text}\n`;
    const cost = estimateTokens(text);
    if (used + cost <= budgetTokens) {
      parts.push(text);
      used += cost;
      continue;
    }
    const room = (budgetTokens - used) * 4 - block.title.length - 80;
    // A fenced block cut in its middle would lose its END line: cut only plain blocks.
    if (room > 400 && !block.text.includes('BEGIN UNTRUSTED DATA')) {
      const cut = `### ${block.title}\n${block.text.slice(0, room)}\n[… cut to fit the context budget]\n`;
      parts.push(cut);
      used += estimateTokens(cut);
    } else omitted.push(block.title);
  }
  if (omitted.length) parts.push(`### Left out to fit the context budget\n${omitted.map((t) => `- ${t}`).join('\n')}\n`);
  const text = parts.join('\n');
  return { text, tokens: estimateTokens(text), omitted };
}

export function renderContext(context: SessionContext, budgetTokens: number): RenderedContext {
  return fitBlocks(buildBlocks(context), budgetTokens);
}
