// User-declared invariants (steward.json `invariants`): commands run locally or on a host, HTTP
// probes, each with a timeout. They must hold before a deploy (pre-flight) and after it.
import type { Invariant } from '../../config/schema.js';
import type { HostSystem } from '../../ports/host.js';
import type { CheckResult } from '../../model/deploy-record.js';

export interface InvariantDeps {
  /** The host an invariant names in `on`, or null when it is not a configured host. */
  hostFor(name: string): HostSystem | null;
  /** Runs a command on this machine. */
  runLocal(argv: string[], timeoutMs: number): Promise<{ exitCode: number | null; output: string; timedOut: boolean }>;
  /** An HTTP GET: the status, or throws when nothing answered. */
  httpStatus(url: string, timeoutMs: number): Promise<number>;
}

export async function runInvariant(invariant: Invariant, deps: InvariantDeps): Promise<CheckResult> {
  const name = `invariant: ${invariant.name}`;
  const timeoutMs = invariant.timeoutSeconds * 1000;
  const target = invariant.on === 'local' ? undefined : `host ${invariant.on}`;
  const at = target ? { target } : {};
  try {
    if (invariant.http) {
      const status = await deps.httpStatus(invariant.http, timeoutMs);
      return { name, ok: status === invariant.expectStatus, detail: `GET ${invariant.http}: ${status}${status === invariant.expectStatus ? '' : ` (expected ${invariant.expectStatus})`}`, ...at };
    }
    const argv = invariant.command ?? [];
    const host = invariant.on === 'local' ? null : deps.hostFor(invariant.on);
    if (invariant.on !== 'local' && !host) return { name, ok: false, detail: `"on": ${invariant.on} is not a configured host`, ...at };
    const result = host ? await host.run(argv, timeoutMs) : await deps.runLocal(argv, timeoutMs);
    const last = result.output.trim().split('\n').pop() ?? '';
    if (result.timedOut) return { name, ok: false, detail: `timed out after ${invariant.timeoutSeconds} s`, ...at };
    return { name, ok: result.exitCode === 0, detail: `exit ${result.exitCode}${last ? `: ${last.slice(0, 200)}` : ''}`, ...at };
  } catch (error) {
    return { name, ok: false, detail: (error as Error).message, ...at };
  }
}

/** Runs the invariants that apply (`only` picks e.g. the ones on one host), one after another. */
export async function runInvariants(invariants: Invariant[], deps: InvariantDeps, only: (i: Invariant) => boolean = () => true): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const invariant of invariants.filter(only)) results.push(await runInvariant(invariant, deps));
  return results;
}
