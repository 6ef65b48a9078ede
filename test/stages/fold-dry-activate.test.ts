import picomatch from 'picomatch';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CRITICAL_UNITS } from '../../src/config/defaults.js';
import { parseSwitchOutput } from '../../src/adapters/nixos-host/parse-switch-output.js';
import { classifyRules } from '../../src/stages/classify/classify-rules.js';
import { changeSet, host, unit } from '../helpers/changesets.js';
import { foldDryActivate } from '../../src/stages/deploy/fold-dry-activate.js';

const isCritical = picomatch(DEFAULT_CRITICAL_UNITS);
const classify = (h: ReturnType<typeof host>) => classifyRules(changeSet({ hosts: [h] }), { criticalUnits: DEFAULT_CRITICAL_UNITS, overrides: {}, nixpkgsBumpHosts: 2 });

describe('foldDryActivate', () => {
  it('adds what the host itself would do, and an sshd restart makes the change risky', () => {
    const before = host('node1', { units: [unit('homepage.service')] });
    expect(classify(before).label).toBe('clean');
    const plan = parseSwitchOutput('would stop the following units: homepage.service\nwould restart the following units: sshd.service\nwould start the following units: homepage.service\n');
    const folded = foldDryActivate(before, plan, isCritical);
    expect(folded.units.map((u) => `${u.unit}:${u.action}:${u.critical}`)).toEqual(['homepage.service:restart:false', 'sshd.service:restart:true']);
    expect(folded.units[1]!.why).toMatch(/not in the commit's diff: the host runs something else/);
    expect(classify(folded).label).toBe('risky');
  });

  it('records "would restart systemd" and a stopped swap device', () => {
    const folded = foldDryActivate(host('nas'), parseSwitchOutput('would stop swap device: /dev/sda2\nwould restart systemd\n'), isCritical);
    expect(folded.boot.systemd).toBeDefined();
    expect(folded.mounts).toMatchObject([{ mountPoint: '/dev/sda2', swap: true, change: 'removed' }]);
    expect(classify(folded).label).toBe('risky');
  });

  it('never drops what the commit changes when the host does not mention it', () => {
    const before = host('nas', { units: [unit('sshd.service', { critical: true })] });
    expect(foldDryActivate(before, parseSwitchOutput('would activate the configuration...\n'), isCritical).units).toEqual(before.units);
  });
});
