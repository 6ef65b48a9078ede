// A generated fleet for benchmarks: N hosts on the example homelab's module system, each with a
// synthetic evaluation cost (TESTING.md: ~0.3 s per host standing in for nixpkgs' module system).
import { cp, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { simpleGit } from 'simple-git';
import { EXAMPLE_HOMELAB, nixSystem } from '../../src/demo/homelab-repo.js';

export interface Fleet {
  dir: string;
  hosts: string[];
  /** Commits: `base`, then `head` changing one host (a leaf service on hosts[changed]). */
  base: string;
  head: string;
  changedHost: string;
}

export interface FleetOptions {
  hosts: number;
  evalCost: number;
  /** Each toplevel gets a derivation that burns this many shell-loop iterations (1e6 ≈ 1 s of CPU). */
  buildCost?: number;
}

// The busy derivation reads a shared option, so a shared-module change rebuilds it on every host;
// a nonce per fleet keeps an earlier benchmark's outputs in the store from standing in for builds.
const BUSY_MODULE = (iterations: number) => `{ config, pkgs, ... }:
{
  environment.etc."busy".source = pkgs.mkDerivation {
    name = "busy-\${config.networking.hostName}";
    nonce = "${process.pid}-${Date.now()}";
    collectors = builtins.concatStringsSep "," config.services.prometheus.exporters.node.enabledCollectors;
    script = ''i=0; while [ $i -lt ${iterations} ]; do i=$((i+1)); done; echo "$collectors" > $out'';
  };
}
`;

export async function createFleet(options: FleetOptions): Promise<Fleet> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'steward-fleet-'));
  for (const folder of ['lib', 'nixos', 'modules']) await cp(path.join(EXAMPLE_HOMELAB, folder), path.join(dir, folder), { recursive: true });
  const hosts = Array.from({ length: options.hosts }, (_, i) => `host${String(i + 1).padStart(2, '0')}`);
  if (options.buildCost) await writeFile(path.join(dir, 'modules', 'busy.nix'), BUSY_MODULE(options.buildCost));
  const busy = options.buildCost ? ' ../../modules/busy.nix' : '';
  for (const [i, host] of hosts.entries()) {
    await mkdir(path.join(dir, 'hosts', host), { recursive: true });
    const role = i < 3 ? '../../modules/cluster-server.nix' : '../../modules/nfs-client.nix';
    await writeFile(
      path.join(dir, 'hosts', host, 'default.nix'),
      `{ ... }:\n{\n  imports = [ ../../modules/common.nix ../../modules/server-hardware.nix ${role}${busy} ];\n  networking.interfaces.eth0.ipv4.addresses = [{ address = "10.0.1.${i + 10}"; prefixLength = 24; }];\n  system.evalCost = ${options.evalCost};\n}\n`,
    );
  }
  const entries = hosts.map((h) => `        ${h} = mkHost "${h}" [ ./hosts/${h} ];`).join('\n');
  await writeFile(
    path.join(dir, 'flake.nix'),
    `{\n  outputs = { self }:\n    let\n      system = "${nixSystem()}";\n      mkHost = hostName: modules: import ./lib/eval-config.nix { inherit system hostName modules; };\n    in\n    {\n      nixosConfigurations = {\n${entries}\n      };\n    };\n}\n`,
  );
  const git = simpleGit({ baseDir: dir });
  await git.init();
  await git.addConfig('user.name', 'bench').addConfig('user.email', 'bench@example.com');
  await git.add('.').commit('fleet');
  const base = (await git.revparse(['HEAD'])).trim();
  const changedHost = hosts[Math.min(6, hosts.length - 1)] as string;
  await cp(path.join(EXAMPLE_HOMELAB, 'modules/services/homepage.nix'), path.join(dir, 'modules/services/homepage.nix'));
  const hostFile = path.join(dir, 'hosts', changedHost, 'default.nix');
  const { readFile } = await import('node:fs/promises');
  await writeFile(hostFile, (await readFile(hostFile, 'utf8')).replace('../../modules/common.nix', '../../modules/common.nix ../../modules/services/homepage.nix'));
  await git.add('.').commit(`${changedHost}: add the homepage`);
  const head = (await git.revparse(['HEAD'])).trim();
  return { dir, hosts, base, head, changedHost };
}
