import { describe, expect, it } from 'vitest';
import { buildModuleGraph } from './module-graph.js';

const flake = `{
  outputs = { self, nixpkgs, ... }: {
    nixosConfigurations = {
      alpha = nixpkgs.lib.nixosSystem { modules = [ ./hosts/alpha ]; };
      beta = nixpkgs.lib.nixosSystem {
        modules = [ ./hosts/beta/configuration.nix self.nixosModules.backup ];
      };
    };
    nixosModules.backup = ./modules/backup.nix;
  };
}
`;

const tree = new Map([
  ['flake.nix', flake],
  ['hosts/alpha/default.nix', '{ ... }:\n{\n  imports = [ ../common ];\n}\n'],
  ['hosts/beta/configuration.nix', '{ ... }:\n{\n  imports = [\n    ../common/default.nix\n  ];\n}\n'],
  ['hosts/common/default.nix', '{ ... }:\n{\n  imports = [ ../../modules/shared.nix ];\n}\n'],
  ['modules/shared.nix', '{ ... }:\n{ services.x.enable = true; }\n'],
  ['modules/backup.nix', '{ ... }:\n{ services.y.enable = true; }\n'],
  ['modules/unused.nix', '{ ... }:\n{ }\n'],
]);

const hostFolder = (path: string) => {
  const match = /^hosts\/([^/]+)\//.exec(path);
  return match?.[1] ? [match[1]] : [];
};

describe('buildModuleGraph', () => {
  it('names the flake hosts that reach a shared module, with the references followed', () => {
    const graph = buildModuleGraph(tree, hostFolder);
    expect(graph.hosts).toEqual(['alpha', 'beta']);
    expect(graph.reach('modules/shared.nix')).toEqual([
      { host: 'alpha', via: ['flake.nix:4', 'hosts/alpha/default.nix:3', 'hosts/common/default.nix:3'] },
      { host: 'beta', via: ['flake.nix:6', 'hosts/beta/configuration.nix:4', 'hosts/common/default.nix:3'] },
    ]);
  });

  it('follows the repository\'s own exported modules, and reaches nothing else', () => {
    const graph = buildModuleGraph(tree, hostFolder);
    expect(graph.reach('modules/backup.nix').map((r) => r.host)).toEqual(['beta']);
    expect(graph.reach('modules/unused.nix')).toEqual([]);
  });

  it('prefers the module under a nixos folder when nix-darwin modules share its name', () => {
    const both = new Map(tree);
    both.set('hosts/beta/configuration.nix', '{ inputs, ... }:\n{\n  imports = [ inputs.self.nixosModules.common ];\n}\n');
    both.set('modules/nixos/common/default.nix', '{ ... }:\n{ }\n');
    both.set('modules/darwin/common/default.nix', '{ ... }:\n{ }\n');
    const graph = buildModuleGraph(both, hostFolder);
    expect(graph.reach('modules/nixos/common/default.nix').map((r) => r.host)).toEqual(['beta']);
    expect(graph.reach('modules/darwin/common/default.nix')).toEqual([]);
  });

  it('takes "common" for a folder, not a host, when the flake names its hosts', () => {
    const graph = buildModuleGraph(tree, hostFolder);
    expect(graph.hosts).not.toContain('common');
  });

  it('starts from host folders when the flake builds its hosts by code', () => {
    const generated = new Map(tree);
    generated.set('flake.nix', '{ outputs = inputs: import ./lib/hosts.nix inputs; }\n');
    const graph = buildModuleGraph(generated, hostFolder);
    expect(graph.reach('modules/shared.nix').map((r) => r.host)).toEqual(['alpha', 'beta', 'common']);
  });
});
