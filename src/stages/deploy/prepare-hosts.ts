// Before any activation: each host reads what it runs (the rollback target), receives the new
// closure, and runs `switch-to-configuration dry-activate` with it; its unit plan is folded into
// the ChangeSet and classified again. A plan that turns the change risky stops the deploy.
import picomatch from 'picomatch';
import type { Reason } from '../../model/evidence.js';
import type { HostChange } from '../../model/host-change.js';
import { mostSevere, type Label } from '../../model/label.js';
import type { ChangeSet } from '../../model/changeset.js';
import type { HostSystem } from '../../ports/host.js';
import { classifyRules, type ClassifyOptions } from '../classify/classify-rules.js';
import type { TargetRecord } from '../../model/deploy-record.js';
import type { DeployContext } from './context.js';
import { foldDryActivate } from './fold-dry-activate.js';
import type { HostTarget } from './plan-targets.js';
import type { PreparedHost } from './rollout-hosts.js';

export interface PrepareResult {
  prepared: Map<string, PreparedHost>;
  /** Hosts that could not be prepared (nothing was activated anywhere). */
  failures: TargetRecord[];
  /** The most severe label of the folded hosts. */
  label: Label;
  /** Reasons the folded plans added (not in the review). */
  reasons: Reason[];
  folded: HostChange[];
}

export interface PrepareInput {
  hosts: HostTarget[];
  hostFor: (host: string) => HostSystem | null;
  baselineFailed: Record<string, string[]>;
  classify: ClassifyOptions;
  /** Reasons the reviews already gave (not repeated). */
  known: Reason[];
}

const PARALLEL_COPIES = 4;

const failure = (h: HostTarget, message: string): TargetRecord => ({ kind: 'host', name: h.host, result: 'failed', action: 'none', from: null, to: h.toplevel, message, pendingReboot: false, verification: [], durationMs: 0 });

export async function prepareHosts(ctx: DeployContext, input: PrepareInput): Promise<PrepareResult> {
  const result: PrepareResult = { prepared: new Map(), failures: [], label: 'clean', reasons: [], folded: [] };
  const isCritical = picomatch(input.classify.criticalUnits);
  const prepare = async (target: HostTarget): Promise<void> => {
    const system = input.hostFor(target.host);
    if (!system) return void result.failures.push(failure(target, 'no way to reach the host'));
    try {
      const state = await system.readState();
      if (!state.current) return void result.failures.push(failure(target, 'the host runs no NixOS system to roll back to: install it first'));
      await system.copyClosure(target.toplevel);
      const dry = await system.activate(target.toplevel, 'dry-activate', { timeoutMs: 300_000 });
      if (dry.exitCode !== 0) return void result.failures.push(failure(target, `dry-activate failed (exit ${dry.exitCode ?? 'none'}): ${dry.output.trim().split('\n').slice(-2).join(' / ')}`));
      result.folded.push(foldDryActivate(target.change, dry.plan, isCritical));
      result.prepared.set(target.host, { system, previous: state.current, baselineFailed: input.baselineFailed[target.host] ?? [] });
    } catch (error) {
      result.failures.push(failure(target, `not prepared: ${(error as Error).message}`));
    }
  };
  // Closures travel to a few hosts at once: copies are network-bound, and nothing is activated yet.
  const queue = [...input.hosts];
  await Promise.all(Array.from({ length: Math.min(PARALLEL_COPIES, queue.length) }, async () => {
    for (let next = queue.shift(); next; next = queue.shift()) await prepare(next);
  }));
  result.folded.sort((a, b) => a.host.localeCompare(b.host));
  result.failures.sort((a, b) => a.name.localeCompare(b.name));
  if (result.folded.length > 0) {
    const verdict = classifyRules(emptyChangeSet(result.folded), input.classify);
    result.label = mostSevere(...Object.values(verdict.hosts));
    const known = new Set(input.known.map((r) => `${r.ruleId}\u0000${r.message}`));
    result.reasons = verdict.reasons.filter((r) => r.ruleId !== 'summary.no-effect' && !known.has(`${r.ruleId}\u0000${r.message}`)).map((r) => ({ ...r, message: `${r.message} (dry-activate on the host)` }));
  }
  return result;
}

function emptyChangeSet(hosts: HostChange[]): ChangeSet {
  return { base: '0'.repeat(40), head: '0'.repeat(40), level: 'build', hosts, jobs: [], jobFindings: [], repo: { files: [], signals: [], inputs: [], secrets: [], docsOnly: false }, errors: [] };
}
