// A person's answer to a proposed action (`steward action approve|reject <id>`). An approval runs
// the action through the same gate as an automatic one: policy again (the configuration may have
// changed), the rate limit, pre-flight, the executor and its verification.
import { ACTION_CLASSES } from '../../config/schema.js';
import type { SessionEnvironment } from './environment.js';
import { decidePolicy, type ActionClass } from './policy.js';
import { executeWithinLimits } from './request-action.js';

export type DecisionOutcome = { ok: true; status: string; detail: string } | { ok: false; reason: string };

export async function decideProposal(env: SessionEnvironment, id: number, decision: 'approved' | 'rejected'): Promise<DecisionOutcome> {
  const record = env.store.actions({ limit: 100_000 }).find((a) => a.id === id);
  if (!record) return { ok: false, reason: `no action record #${id}` };
  if (record.status !== 'proposed' || record.decision) return { ok: false, reason: `action #${id} is ${record.decision ?? record.status}, not waiting for a decision` };
  if (!(ACTION_CLASSES as readonly string[]).includes(record.actionClass)) return { ok: false, reason: `unknown action class ${record.actionClass}` };
  if (!env.store.decideAction(id, decision)) return { ok: false, reason: `action #${id} was decided meanwhile` };
  if (decision === 'rejected') return { ok: true, status: 'rejected', detail: 'rejected by a person' };
  const request = { actionClass: record.actionClass as ActionClass, target: record.target, why: record.why };
  const policy = decidePolicy(env.config, request, env.hostNames);
  if (policy.verdict !== 'allowed') {
    const detail = `approved, but policy now says ${policy.verdict}: ${policy.reason}`;
    env.store.updateAction(id, 'refused', detail);
    return { ok: true, status: 'refused', detail };
  }
  env.store.updateAction(id, 'running', 'approved by a person; pre-flight');
  const [status, detail] = await executeWithinLimits(env, id, request);
  return { ok: true, status, detail };
}
