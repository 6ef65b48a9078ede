// Post-action checks of a NixOS host: the system it runs (or will boot) is the new toplevel, no
// unit failed that had not failed before, live mount options are the declared ones (else a
// reboot is required), and after a reboot the booted kernel is the new one.
import type { HostSystem } from '../../ports/host.js';
import type { CheckResult } from '../../model/deploy-record.js';
import { compareMounts } from './mounts.js';

export interface HostVerification {
  checks: CheckResult[];
  ok: boolean;
  /** Activated, but the mounts differ: only a reboot applies them. */
  rebootRequired: boolean;
}

export const shortPath = (p: string | null) => (p ? p.replace(/^\/nix\/store\/([a-z0-9]{8})[a-z0-9]{24}-/, '$1-') : 'nothing');

export async function verifyActivation(host: HostSystem, input: { action: 'switch' | 'boot'; toplevel: string; baselineFailed: string[] }): Promise<HostVerification> {
  const target = `host ${host.name}`;
  const state = await host.readState();
  const checks: CheckResult[] = [];
  if (input.action === 'switch') {
    checks.push({ name: 'current system', ok: state.current === input.toplevel, detail: `runs ${shortPath(state.current)}`, target });
  } else {
    checks.push({ name: 'boot default', ok: state.bootDefault === input.toplevel, detail: `boots ${shortPath(state.bootDefault)} next`, target });
  }
  checks.push(await failedUnitsCheck(host, input.baselineFailed));
  let rebootRequired = false;
  if (input.action === 'switch') {
    const mounts = await mountsCheck(host, input.toplevel);
    rebootRequired = !mounts.ok;
    // A mount that a remount could not change is not a failed activation: it waits for a reboot.
    checks.push({ ...mounts, ok: true });
  }
  return { checks, ok: checks.every((c) => c.ok), rebootRequired };
}

/** After a reboot: the booted kernel and system are the new ones, units and mounts are right. */
export async function verifyBoot(host: HostSystem, input: { toplevel: string; baselineFailed: string[] }): Promise<HostVerification> {
  const target = `host ${host.name}`;
  const state = await host.readState();
  const [bootedKernel, wantedKernel] = await Promise.all([host.resolve(`${state.booted ?? '/nonexistent'}/kernel`), host.resolve(`${input.toplevel}/kernel`)]);
  const checks: CheckResult[] = [
    { name: 'booted kernel', ok: bootedKernel !== null && bootedKernel === wantedKernel, detail: `booted ${shortPath(bootedKernel)}${bootedKernel === wantedKernel ? '' : `, expected ${shortPath(wantedKernel)}`}`, target },
    { name: 'current system', ok: state.current === input.toplevel, detail: `runs ${shortPath(state.current)}`, target },
    await failedUnitsCheck(host, input.baselineFailed),
    await mountsCheck(host, input.toplevel),
  ];
  return { checks, ok: checks.every((c) => c.ok), rebootRequired: false };
}

export async function failedUnitsCheck(host: HostSystem, baseline: string[]): Promise<CheckResult> {
  const failed = await host.failedUnits();
  const known = new Set(baseline);
  const added = failed.filter((u) => !known.has(u));
  return {
    name: 'failed units',
    ok: added.length === 0,
    detail: added.length ? `newly failed: ${added.join(', ')}` : failed.length ? `none new (already failed before: ${failed.join(', ')})` : 'none',
    target: `host ${host.name}`,
  };
}

async function mountsCheck(host: HostSystem, toplevel: string): Promise<CheckResult> {
  const target = `host ${host.name}`;
  const [fstab, live] = await Promise.all([host.readFile(`${toplevel}/etc/fstab`), host.liveMounts()]);
  if (fstab === null || live === null) return { name: 'mount options', ok: true, detail: 'cannot tell (no fstab or mount table)', target };
  const mismatches = compareMounts(fstab, live);
  if (mismatches.length === 0) return { name: 'mount options', ok: true, detail: 'as declared', target };
  return { name: 'mount options', ok: false, detail: `reboot required: ${mismatches.map((m) => `${m.mountPoint} is mounted with ${m.live}, declared ${m.declared}`).join('; ')}`, target };
}
