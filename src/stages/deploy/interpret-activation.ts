// What switch-to-configuration's exit code means for a deploy (NIXOS-FACTS.md): 0 done; 100 done
// but only a reboot applies it; 1 a pre-switch check or the bootloader failed; 2 the activation
// script failed; 4 units failed; anything else (or a timeout) is a failure too.
import type { ActivationResult } from '../../ports/host.js';

export type ActivationVerdict = { ok: true; rebootRequired: boolean; note: string } | { ok: false; reason: string };

export function interpretActivation(result: ActivationResult, timeoutSeconds: number): ActivationVerdict {
  const what = `switch-to-configuration ${result.action}`;
  if (result.timedOut) return { ok: false, reason: `${what} did not finish within ${timeoutSeconds} s and was stopped` };
  const tail = lastLines(result.output, 3);
  switch (result.exitCode) {
    case 0:
      return { ok: true, rebootRequired: false, note: `${what}: done` };
    case 100:
      return { ok: true, rebootRequired: true, note: `${what}: exit 100, the new init needs a reboot to take effect` };
    case 1:
      return { ok: false, reason: `${what} failed (exit 1: a pre-switch check or the bootloader failed)${tail}` };
    case 2:
      return { ok: false, reason: `${what} failed (exit 2: the activation script failed)${tail}` };
    case 4: {
      const failed = result.plan.failed;
      return { ok: false, reason: `${what} failed (exit 4: units failed${failed.length ? `: ${failed.join(', ')}` : ''})` };
    }
    default:
      return { ok: false, reason: `${what} failed (exit ${result.exitCode ?? 'none'})${tail}` };
  }
}

function lastLines(output: string, n: number): string {
  const lines = output.trim().split('\n').filter(Boolean).slice(-n);
  return lines.length ? `: ${lines.join(' / ').slice(0, 300)}` : '';
}
