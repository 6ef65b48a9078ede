import { describe, expect, it } from 'vitest';
import { unitActions } from '../../stages/deploy/fold-dry-activate.js';
import { parseSwitchOutput } from './parse-switch-output.js';

// NixOS's own dry-activate output (NIXOS-FACTS.md), with every section present.
const DRY = `would stop swap device: /dev/disk/by-label/swap
would stop the following units: a.service, b.socket, homepage.service
would NOT stop the following changed units: c.service
would activate the configuration...
would restart systemd
would reload the following units: -.mount, d.service
would restart the following units: e.service, sshd.service
would start the following units: a.service, homepage.service, new.service
`;

describe('parseSwitchOutput', () => {
  it('reads every section of a dry-activate plan', () => {
    expect(parseSwitchOutput(DRY)).toEqual({
      stop: ['a.service', 'b.socket', 'homepage.service'],
      start: ['a.service', 'homepage.service', 'new.service'],
      restart: ['e.service', 'sshd.service'],
      reload: ['-.mount', 'd.service'],
      skip: ['c.service'],
      swapStop: ['/dev/disk/by-label/swap'],
      restartSystemd: true,
      newStarted: [],
      failed: [],
    });
  });

  it('reads a real switch in the present tense, with failed units and colour codes', () => {
    const plan = parseSwitchOutput('stopping the following units: x.service\nactivating the configuration...\n\x1b[1mrestarting systemd...\x1b[0m\nstarting the following units: x.service\nthe following new units were started: y.timer\nwarning: the following units failed: x.service, z.service\n');
    expect(plan).toMatchObject({ stop: ['x.service'], start: ['x.service'], restartSystemd: true, newStarted: ['y.timer'], failed: ['x.service', 'z.service'] });
  });

  it('reads an empty plan (nothing changes) as no actions', () => {
    expect(unitActions(parseSwitchOutput('would activate the configuration...\n')).size).toBe(0);
  });
});

describe('unitActions', () => {
  it('turns "stopped and started" into a restart and keeps the other sections', () => {
    expect(Object.fromEntries(unitActions(parseSwitchOutput(DRY)))).toEqual({
      'a.service': 'restart',
      'b.socket': 'stop',
      'homepage.service': 'restart',
      'new.service': 'start',
      'e.service': 'restart',
      'sshd.service': 'restart',
      '-.mount': 'reload',
      'd.service': 'reload',
      'c.service': 'skip',
    });
  });
});
