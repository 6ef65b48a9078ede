// Rolling a host back to its previous generation by explicit store path, by Steward itself or by
// the guard armed on the host (when Steward cannot reach it any more, or confirmed too late).
import { HostUnreachableError, type HostSystem } from '../../ports/host.js';
import { CommandError } from '../../errors.js';
import { sleep, type DeployContext } from './context.js';

export interface RollbackResult {
  /** The host runs (or boots, for a boot activation) the previous generation again. */
  restored: boolean;
  /** `steward`: Steward rolled back; `guard`: the host's guard did; `none`: nobody could. */
  by: 'steward' | 'guard' | 'none';
  detail: string;
}

export const short = (p: string | null) => (p ? p.replace(/^\/nix\/store\/([a-z0-9]{8})[a-z0-9]{24}-/, '$1-') : 'nothing');

/**
 * Steward's own rollback: disarm the guard first (so it cannot roll back a second time), then set
 * the profile to the previous generation and run ITS switch-to-configuration. When the guard has
 * already fired, waiting for it is the rollback.
 */
export async function rollbackHost(ctx: DeployContext, system: HostSystem, input: { previous: string; action: 'switch' | 'boot'; guardId: string | null }): Promise<RollbackResult> {
  try {
    const guard = input.guardId ? await system.disarmGuard(input.guardId) : 'unknown';
    if (guard === 'fired' || guard === 'rolled-back') return awaitGuardRollback(ctx, system, input);
    await system.setProfile(input.previous);
    const result = await system.activate(input.previous, input.action, { timeoutMs: ctx.settings.activationSeconds * 1000 });
    const state = await system.readState();
    const restored = input.action === 'switch' ? state.current === input.previous : state.bootDefault === input.previous;
    const how = `${input.action} to ${short(input.previous)} (exit ${result.exitCode ?? 'none'})`;
    return { restored, by: 'steward', detail: restored ? `rolled back: ${how}` : `rollback did not restore the previous generation: ${how}` };
  } catch (error) {
    if (input.guardId && (error instanceof HostUnreachableError || error instanceof CommandError)) return awaitGuardRollback(ctx, system, input);
    return { restored: false, by: 'none', detail: `rollback failed: ${(error as Error).message}` };
  }
}

/**
 * Waits, over new connections, for the guard on the host to finish its rollback: the host may be
 * unreachable until the previous generation restores its access.
 */
export async function awaitGuardRollback(ctx: DeployContext, system: HostSystem, input: { previous: string; action: 'switch' | 'boot'; guardId: string | null }): Promise<RollbackResult> {
  const { confirmSeconds, pollMs } = ctx.settings;
  // The guard fires `confirm` after it was armed and gives the switch another `confirm` window;
  // the rollback's own switch then takes its time.
  const deadline = Date.now() + (2 * confirmSeconds + 60) * 1000;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    try {
      const guard = input.guardId ? await system.guardState(input.guardId) : 'unknown';
      if (guard === 'rolled-back' || guard === 'unknown') {
        const state = await system.readState();
        const restored = input.action === 'switch' ? state.current === input.previous : state.bootDefault === input.previous;
        if (restored) return { restored: true, by: 'guard', detail: `the host's rollback guard restored ${short(input.previous)}` };
        if (guard === 'unknown') return { restored: false, by: 'none', detail: `no rollback guard on the host and it runs ${short(state.current)}` };
        last = `the guard finished but the host runs ${short(state.current)}`;
      } else last = `guard ${guard}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await sleep(pollMs);
  }
  return { restored: false, by: 'none', detail: `the host did not come back restored (${last}): its guard should have rolled it back to ${short(input.previous)}; check it by hand` };
}
