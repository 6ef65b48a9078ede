import { describe, expect, it } from 'vitest';
import { parseSwitchOutput } from '../../src/adapters/nixos-host/parse-switch-output.js';
import type { ActivationResult } from '../../src/ports/host.js';
import { interpretActivation } from '../../src/stages/deploy/interpret-activation.js';
import { describeWindows, inRebootWindow } from '../../src/stages/deploy/reboot-window.js';

const result = (exitCode: number | null, output = '', timedOut = false): ActivationResult => ({ action: 'switch', exitCode, output, plan: parseSwitchOutput(output), timedOut, durationMs: 1 });

describe('interpretActivation', () => {
  it('reads NixOS exit codes: 0 done, 100 reboot, 1, 2, 4 and anything else failed', () => {
    expect(interpretActivation(result(0), 600)).toMatchObject({ ok: true, rebootRequired: false });
    expect(interpretActivation(result(100), 600)).toMatchObject({ ok: true, rebootRequired: true });
    expect(interpretActivation(result(1, "Pre-switch check 'switchInhibitors' failed"), 600)).toEqual({ ok: false, reason: "switch-to-configuration switch failed (exit 1: a pre-switch check or the bootloader failed): Pre-switch check 'switchInhibitors' failed" });
    expect(interpretActivation(result(2), 600)).toMatchObject({ ok: false, reason: expect.stringContaining('exit 2: the activation script failed') });
    expect(interpretActivation(result(4, 'warning: the following units failed: a.service, b.service\n'), 600)).toEqual({ ok: false, reason: 'switch-to-configuration switch failed (exit 4: units failed: a.service, b.service)' });
    expect(interpretActivation(result(137), 600)).toMatchObject({ ok: false, reason: expect.stringContaining('exit 137') });
    expect(interpretActivation(result(null, '', true), 600)).toEqual({ ok: false, reason: 'switch-to-configuration switch did not finish within 600 s and was stopped' });
  });
});

describe('inRebootWindow', () => {
  const at = (iso: string) => new Date(iso);
  it('is always open without windows', () => {
    expect(inRebootWindow([], 'UTC', at('2025-01-01T12:00:00Z'))).toBe(true);
    expect(describeWindows([], 'UTC')).toBe('at any time');
  });

  it('honours days, a time zone, and windows that run past midnight', () => {
    const nightly = [{ days: ['sat', 'sun'] as ('sat' | 'sun')[], start: '23:00', end: '02:00' }];
    // Saturday 2025-01-04 23:30 in Paris is 22:30 UTC.
    expect(inRebootWindow(nightly, 'Europe/Paris', at('2025-01-04T22:30:00Z'))).toBe(true);
    // Monday 01:00 in Paris: the window started on Sunday night.
    expect(inRebootWindow(nightly, 'Europe/Paris', at('2025-01-06T00:00:00Z'))).toBe(true);
    // Tuesday 01:00: Monday night has no window.
    expect(inRebootWindow(nightly, 'Europe/Paris', at('2025-01-07T00:00:00Z'))).toBe(false);
    expect(inRebootWindow([{ days: ['wed'], start: '02:00', end: '05:00' }], 'UTC', at('2025-01-01T05:00:00Z'))).toBe(false);
    expect(describeWindows(nightly, 'Europe/Paris')).toBe('sat,sun 23:00-02:00 (Europe/Paris)');
  });
});
