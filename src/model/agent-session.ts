// Agent sessions: what wakes one (a trigger), what the model must answer (checked with zod), and
// what Steward records of it. Alert text is untrusted data: it is carried, never obeyed.
import { z } from 'zod';

/** One Alertmanager alert (webhook payload version 4), as a session receives it. Untrusted text. */
export const Alert = z.object({
  status: z.enum(['firing', 'resolved']),
  labels: z.record(z.string(), z.string()),
  annotations: z.record(z.string(), z.string()),
  startsAt: z.string(),
  endsAt: z.string().optional(),
  generatorURL: z.string().optional(),
  fingerprint: z.string(),
});
export type Alert = z.infer<typeof Alert>;

/** What starts a session. `incident` comes from `steward serve` (Alertmanager); the rest from the CLI or systemd. */
export const SessionTrigger = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('check') }),
  z.object({ kind: z.literal('on-failure'), unit: z.string().min(1), host: z.string().min(1).optional() }),
  z.object({ kind: z.literal('ask'), question: z.string().min(1) }),
  z.object({
    kind: z.literal('incident'),
    /** Deterministic: derived from the alert group (Alertmanager's groupKey), never from text. */
    incidentKey: z.string().min(1),
    alerts: z.array(Alert).min(1),
  }),
]);
export type SessionTrigger = z.infer<typeof SessionTrigger>;

/** The goal file a trigger loads (`goals/<goal>.md`, or the repository's `.steward/goals/<goal>.md` on main). */
export function goalOf(trigger: SessionTrigger): 'health-check' | 'on-failure' | 'ask' | 'incident' {
  return trigger.kind === 'check' ? 'health-check' : trigger.kind;
}

/** Where a piece of evidence came from; `ref` names it (host:unit, job/alloc, file:line, commit). */
export const EvidenceSource = z.enum(['host', 'journal', 'nomad', 'consul', 'deploy', 'git', 'alert', 'knowledge', 'rules']);

export const SessionFinding = z
  .object({
    title: z.string().min(1).max(200),
    detail: z.string().max(4000),
    severity: z.enum(['info', 'warning', 'critical']),
    evidence: z.array(z.object({ source: EvidenceSource, ref: z.string().min(1).max(300), excerpt: z.string().max(2000).optional() }).strict()).max(20),
  })
  .strict();
export type SessionFinding = z.infer<typeof SessionFinding>;

/** A knowledge entry a session learned (an edge case, a host quirk, a failure signature and its fix). */
export const KnowledgeEntry = z
  .object({
    topic: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'a short kebab-case topic'),
    title: z.string().min(1).max(200),
    body: z.string().min(1).max(8000),
  })
  .strict();
export type KnowledgeEntry = z.infer<typeof KnowledgeEntry>;

/** The model's structured answer at the end of a session (the `--json-schema` of the run). */
export const SessionAnswer = z
  .object({
    summary: z.string().min(1).max(4000),
    findings: z.array(SessionFinding).max(30),
    confidence: z.enum(['low', 'medium', 'high']),
    escalate: z.object({ needed: z.boolean(), reason: z.string().max(2000) }).strict(),
    /** Actions the model asked for during the session (by tool call); outcomes come from Steward's records, not from this. */
    actionsRequested: z.array(z.object({ action: z.string(), target: z.string(), why: z.string().max(1000) }).strict()).max(20),
    knowledge: z.array(KnowledgeEntry).max(5).default([]),
  })
  .strict();
export type SessionAnswer = z.infer<typeof SessionAnswer>;
