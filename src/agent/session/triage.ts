// Rules-only triage: deterministic checks over the context bundle, no model. Used when no logged-in
// `claude` is available or llm is off; the answer says so. It never acts: what it finds that is
// warning or worse is escalated to a person with the evidence.
import picomatch from 'picomatch';
import type { StewardConfig } from '../../config/schema.js';
import type { SessionAnswer, SessionFinding } from '../../model/agent-session.js';
import type { SessionContext } from './context/bundle.js';

export function triageByRules(context: SessionContext, config: StewardConfig, why: string): SessionAnswer {
  const findings: SessionFinding[] = [];
  const critical = [...config.classify.criticalUnits, ...config.classify.extraCriticalUnits];
  const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

  if (context.hosts.status === 'ok') {
    for (const host of context.hosts.value) {
      if (host.note) findings.push({ title: `${host.host} could not be read`, detail: clip(host.note, 4000), severity: 'warning', evidence: [{ source: 'host', ref: host.host }] });
      for (const unit of host.failedUnits.slice(0, 10)) {
        const lines = host.journal[unit] ?? [];
        findings.push({
          title: `${unit} failed on ${host.host}`,
          detail: picomatch.isMatch(unit, critical) ? 'a critical unit (access or quorum may be affected)' : 'a failed unit',
          severity: picomatch.isMatch(unit, critical) ? 'critical' : 'warning',
          evidence: [{ source: 'host', ref: `${host.host}:${unit}` }, ...(lines.length ? [{ source: 'journal' as const, ref: `${host.host}:${unit}`, excerpt: clip(lines.slice(-3).join('\n'), 2000) }] : [])],
        });
      }
    }
  }
  if (context.nomad.status === 'ok') {
    const nomad = context.nomad.value;
    if (!nomad.leader) findings.push({ title: 'Nomad has no leader', detail: 'writes and scheduling are stopped until a leader is elected', severity: 'critical', evidence: [{ source: 'nomad', ref: 'status/leader' }] });
    for (const job of nomad.troubledJobs) {
      findings.push({
        title: `Nomad job ${job.id} is not healthy`,
        detail: clip(`${job.troubled.length} allocation(s) not running or unhealthy${job.deployment ? `; deployment ${job.deployment.status}: ${job.deployment.description}` : ''}`, 4000),
        severity: 'warning',
        evidence: job.troubled.slice(0, 5).map((a) => ({ source: 'nomad' as const, ref: `${job.id}/${a.id}`, excerpt: `${a.clientStatus}${a.healthy === false ? ', unhealthy' : ''} on ${a.nodeName}` })),
      });
    }
  }
  if (context.consul.status === 'ok') {
    const consul = context.consul.value;
    if (!consul.leader) findings.push({ title: 'Consul has no leader', detail: 'the catalog cannot change until a leader is elected', severity: 'critical', evidence: [{ source: 'consul', ref: 'status/leader' }] });
    for (const m of consul.unhealthyMembers) findings.push({ title: `Consul member ${m.name} is ${m.status}`, detail: `role ${m.role}`, severity: m.role === 'server' ? 'critical' : 'warning', evidence: [{ source: 'consul', ref: `member/${m.name}` }] });
    const critical = consul.checks.filter((c) => c.status === 'critical');
    if (critical.length) findings.push({ title: `${critical.length} Consul check(s) critical`, detail: critical.map((c) => `${c.name} on ${c.node}`).join(', ').slice(0, 4000), severity: 'warning', evidence: critical.slice(0, 5).map((c) => ({ source: 'consul' as const, ref: `${c.node}/${c.name}`, excerpt: clip(c.output, 2000) })) });
  }
  if (context.trigger.kind === 'incident') {
    for (const alert of context.trigger.alerts.slice(0, 5)) {
      if (alert.status !== 'firing') continue;
      findings.push({ title: `Alert ${clip(alert.labels.alertname ?? alert.fingerprint, 150)} is firing`, detail: 'labels and annotations are in the context (untrusted)', severity: alert.labels.severity === 'critical' ? 'critical' : 'warning', evidence: [{ source: 'alert', ref: clip(alert.fingerprint, 300) }] });
    }
  }
  const serious = findings.filter((f) => f.severity !== 'info');
  const missing = (['hosts', 'nomad', 'consul'] as const).filter((k) => context[k].status === 'missing');
  const summary = [
    `Rules-only triage (no model: ${why}).`,
    serious.length ? `${serious.length} problem(s) found: ${serious.slice(0, 5).map((f) => f.title).join('; ')}${serious.length > 5 ? '; …' : ''}.` : 'No problem found by the deterministic checks.',
    missing.length ? `Not checked: ${missing.join(', ')}.` : '',
    context.trigger.kind === 'ask' ? 'A question needs the model to be answered; the facts above are what Steward could check.' : '',
  ].filter(Boolean).join(' ');
  return {
    summary: clip(summary, 4000),
    findings: findings.slice(0, 30),
    confidence: missing.length ? 'low' : 'medium',
    escalate: serious.length ? { needed: true, reason: 'rules-only triage cannot fix problems: a person should look at the evidence' } : { needed: false, reason: '' },
    actionsRequested: [],
    knowledge: [],
  };
}
