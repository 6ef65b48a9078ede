import { describe, expect, it } from 'vitest';
import { signalsForReadFiles } from './files-read-by-nix.js';

const user = ['{ pkgs, ... }:', '{', '  users.users.alice = {', '    isNormalUser = true;', '    openssh.authorizedKeys.keyFiles = [ ./keys/alice ];', '  };', '}', ''].join('\n');
const readFileLet = ['{ lib, ... }:', 'let', '  hosts = lib.importJSON ../data/hosts.json;', 'in', '{', '  networking.extraHosts = hosts.text;', '}', ''].join('\n');

describe('files read by Nix', () => {
  it('judges a key file as the option whose line names it', () => {
    const signals = signalsForReadFiles([{ path: 'users/keys/alice', hosts: [] }], [{ path: 'users/alice.nix', text: user, hosts: [] }]);
    expect(signals).toMatchObject([{ file: 'users/alice.nix', line: 5, option: 'users.users.alice.openssh.authorizedKeys.keyFiles' }]);
    expect(signals[0]?.text).toContain('reads users/keys/alice');
  });

  it('follows a let variable that reads the file to the options using it', () => {
    const signals = signalsForReadFiles([{ path: 'data/hosts.json', hosts: [] }], [{ path: 'modules/net.nix', text: readFileLet, hosts: ['web'] }]);
    expect(signals.map((s) => [s.option, s.hosts])).toEqual([['networking.extraHosts', ['web']]]);
  });

  it('ignores files nothing names', () => {
    expect(signalsForReadFiles([{ path: 'users/keys/bob', hosts: [] }], [{ path: 'users/alice.nix', text: user, hosts: [] }])).toEqual([]);
  });
});
