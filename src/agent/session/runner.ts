// The SessionRunner: gather context, investigate (Claude Code with Steward's MCP tools, or
// rules-only triage), collect the actions the session asked for from their records, escalate,
// record. `steward check|on-failure|ask` call it directly; `steward serve` from its queue.
import { createHash, randomBytes } from 'node:crypto';
import { goalOf, type SessionAnswer, type SessionTrigger } from '../../model/agent-session.js';
import type { Notifier, NotifyResult } from '../../ports/notifier.js';
import type { SessionActionOutcome, SessionRecord, SessionRunner, SessionRunOptions } from '../../ports/session-runner.js';
import type { SessionContext } from './context/bundle.js';
import { gatherContext } from './context/gather.js';
import { renderContext } from './context/render-context.js';
import type { SessionEnvironment } from './environment.js';
import { loadGoal } from './goals.js';
import { renderEscalation } from './render-answer.js';
import { triageByRules } from './triage.js';

export interface InvestigationRequest {
  sessionId: string;
  trigger: SessionTrigger;
  goal: string;
  goalText: string;
  contextText: string;
  signal?: AbortSignal;
}

export type InvestigationResult =
  | { ok: true; answer: SessionAnswer; turns: number | null; costUsd: number | null }
  | { ok: false; reason: string; detail: string; turns: number | null; costUsd: number | null };

/** The model's part of a session (claude-session.ts). `unavailable` says why there is none here. */
export interface Investigator {
  unavailable(): Promise<string | null>;
  investigate(request: InvestigationRequest): Promise<InvestigationResult>;
}

export interface RunnerDeps {
  env: SessionEnvironment;
  notifier: Notifier;
  /** Absent (llm off): every session is rules-only triage. */
  investigator?: Investigator;
  /** Why there is no investigator, for the answer (e.g. "llm.mode is off"). */
  noInvestigatorReason?: string;
}

/** No-answer reasons where nothing was investigated: rules-only triage answers instead. */
const FALLBACK_REASONS = new Set(['unavailable', 'api-error', 'malformed-output']);

export function newSessionId(now: Date): string {
  return `s-${now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '')}-${randomBytes(3).toString('hex')}`;
}

export function createSessionRunner(deps: RunnerDeps): SessionRunner {
  return { run: (trigger, options) => runSession(deps, trigger, options) };
}

async function runSession(deps: RunnerDeps, trigger: SessionTrigger, options: SessionRunOptions = {}): Promise<SessionRecord> {
  const { env } = deps;
  const now = () => env.now?.() ?? new Date();
  const started = now();
  const id = newSessionId(started);
  const goal = goalOf(trigger);
  const base = { id, trigger, goal, startedAt: started.toISOString() };
  const stats = (contextTokens: number, turns: number | null, costUsd: number | null) => ({ contextTokens, turns, toolCalls: env.store.toolCalls(id).length, costUsd, durationMs: now().getTime() - started.getTime() });

  // One session per incident at a time: a second wake-up for the same incident does not loop.
  if (trigger.kind === 'incident') {
    // A session that crashed never finishes: past twice the wall-clock limit it no longer counts.
    const open = env.store.openSessionFor(trigger.incidentKey, new Date(started.getTime() - 2 * env.config.agent.timeoutSeconds * 1000));
    if (open) return finish(deps, { ...base, mode: 'rules-only', finishedAt: now().toISOString(), answer: null, noAnswer: { reason: 'duplicate', detail: `session ${open} is already handling this incident` }, actions: [], escalated: false, notifications: [], stats: stats(0, null, null) }, null, false);
  }
  env.store.markSessionStarted(id, trigger.kind === 'incident' ? trigger.incidentKey : null, base.startedAt);

  const context = await gatherContext(env, trigger);
  const rendered = renderContext(context, env.config.agent.contextTokens);
  env.logger.debug(`session ${id}: context ${rendered.tokens} tokens${rendered.omitted.length ? `, left out: ${rendered.omitted.join(', ')}` : ''}`);

  const unavailable = deps.investigator ? await deps.investigator.unavailable() : (deps.noInvestigatorReason ?? 'llm is off');
  if (unavailable !== null || !deps.investigator) {
    const answer = triageByRules(context, env.config, unavailable ?? 'no model');
    const record: SessionRecord = { ...base, mode: 'rules-only', finishedAt: now().toISOString(), answer, actions: [], escalated: answer.escalate.needed, notifications: [], stats: stats(rendered.tokens, null, null) };
    return finish(deps, record, context, true);
  }
  const goalText = await loadGoal(env, goal);
  const result: InvestigationResult = await deps.investigator
    .investigate({ sessionId: id, trigger, goal, goalText, contextText: rendered.text, ...(options.signal ? { signal: options.signal } : {}) })
    .catch((error: unknown) => ({ ok: false, reason: 'failed', detail: env.redactor.redact(error instanceof Error ? error.message : String(error)).slice(0, 500), turns: null, costUsd: null }));
  const actions = collectActions(env, id);
  // Claude Code could not run or reach its API (not logged in, no network): the session still
  // answers, by rules-only triage, and says why.
  if (!result.ok && FALLBACK_REASONS.has(result.reason) && actions.length === 0) {
    const answer = triageByRules(context, env.config, `Claude Code gave no answer (${result.reason}: ${result.detail.slice(0, 200)})`);
    const record: SessionRecord = { ...base, mode: 'rules-only', finishedAt: now().toISOString(), answer, noAnswer: { reason: result.reason, detail: result.detail }, actions, escalated: answer.escalate.needed, notifications: [], stats: stats(rendered.tokens, result.turns, result.costUsd) };
    return finish(deps, record, context, true);
  }
  const policyEscalated = actions.some((a) => a.detail.startsWith('escalated:') || a.detail.startsWith('rate limit:') || a.status === 'failed');
  const record: SessionRecord = result.ok
    ? { ...base, mode: 'llm', finishedAt: now().toISOString(), answer: result.answer, actions, escalated: result.answer.escalate.needed || policyEscalated, notifications: [], stats: stats(rendered.tokens, result.turns, result.costUsd) }
    : { ...base, mode: 'llm', finishedAt: now().toISOString(), answer: null, noAnswer: { reason: result.reason, detail: result.detail }, actions, escalated: true, notifications: [], stats: stats(rendered.tokens, result.turns, result.costUsd) };
  return finish(deps, record, context, true);
}

function collectActions(env: SessionEnvironment, sessionId: string): SessionActionOutcome[] {
  return env.store
    .actions({ sessionId })
    .reverse()
    .map((a) => ({ id: a.id, action: a.actionClass, target: a.target, status: a.status === 'approved' || a.status === 'rejected' || a.status === 'running' ? 'proposed' : a.status, detail: a.detail }));
}

async function finish(deps: RunnerDeps, record: SessionRecord, context: SessionContext | null, save: boolean): Promise<SessionRecord> {
  let notifications: NotifyResult[] = [];
  for (const action of record.actions.filter((a) => a.status === 'proposed')) {
    notifications.push(
      ...(await deps.notifier.notify({
        key: `action:${action.id}`,
        kind: 'action-proposed',
        severity: 'warning',
        title: deps.env.redactor.redact(`Steward proposes: ${action.action} ${action.target}`).slice(0, 200),
        body: deps.env.redactor.redact(`Session \`${record.id}\` asks to run **${action.action}** on \`${action.target}\`.\n\n${record.answer ? `Summary: ${record.answer.summary}\n\n` : ''}Action record #${action.id} (\`steward history --actions\`).`),
      })),
    );
  }
  // `ask` answers the person who asked; the other triggers tell someone when a person is needed.
  if (record.escalated && record.trigger.kind !== 'ask') {
    notifications.push(...(await deps.notifier.notify({ key: escalationKey(record), kind: 'escalation', severity: severityOf(record), title: titleOf(record), body: deps.env.redactor.redact(renderEscalation(record, context)) })));
  }
  // Records and what leaves the process carry no secret, whatever the model or a tool wrote.
  const done = redactRecord(deps.env, { ...record, notifications });
  if (save) deps.env.store.saveSession(done);
  return done;
}

function redactRecord(env: SessionEnvironment, record: SessionRecord): SessionRecord {
  try {
    return JSON.parse(env.redactor.redact(JSON.stringify(record))) as SessionRecord;
  } catch {
    // A secret with JSON syntax in it broke the document: keep the record, drop the free texts.
    return { ...record, answer: record.answer ? { ...record.answer, summary: '(redacted)', findings: [], actionsRequested: [], knowledge: [] } : null };
  }
}

/** Deterministic: the incident, the failed unit, or what a health check found, never free text. */
export function escalationKey(record: SessionRecord): string {
  const t = record.trigger;
  if (t.kind === 'incident') return `incident:${t.incidentKey}`;
  if (t.kind === 'on-failure') return `on-failure:${t.host ?? 'local'}:${t.unit}`;
  const refs = (record.answer?.findings ?? []).flatMap((f) => f.evidence.map((e) => `${e.source}:${e.ref}`)).sort();
  return `${t.kind}:${createHash('sha256').update(refs.join('\n')).digest('hex').slice(0, 16)}`;
}

function severityOf(record: SessionRecord): 'info' | 'warning' | 'critical' {
  return record.answer?.findings.some((f) => f.severity === 'critical') ? 'critical' : 'warning';
}

function titleOf(record: SessionRecord): string {
  const t = record.trigger;
  const what = t.kind === 'incident' ? `incident ${t.incidentKey}` : t.kind === 'on-failure' ? `${t.unit} failed${t.host ? ` on ${t.host}` : ''}` : 'health check';
  return `Steward needs a person: ${what}`.slice(0, 200);
}
