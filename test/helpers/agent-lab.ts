// A small homelab for agent sessions: the example repository (real git), fixture hosts that are
// plain directories (failed units, journal files; no Nix needed), the Nomad + Consul simulator,
// and a state file. Hosts follow the example's steward.json (node1-3 quorum members, nas, desk).
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createHomelabRepo, type HomelabRepo } from '../../src/demo/homelab-repo.js';
import { startSimulator, type Simulator } from '../../src/sim/simulator.js';
import type { ScenarioName } from '../../src/sim/scenarios.js';

export interface AgentLab {
  dir: string;
  repo: HomelabRepo;
  sim: Simulator;
  hostsRoot: string;
  stateFile: string;
  home: string;
  failUnit(host: string, unit: string, journal: string[]): void;
  configure(extra: Record<string, unknown>): Promise<void>;
  close(): Promise<void>;
}

export const LAB_HOSTS = ['desk', 'nas', 'node1', 'node2', 'node3'];

export async function startAgentLab(options: { scenario?: ScenarioName } = {}): Promise<AgentLab> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'steward-agent-lab-'));
  const repo = await createHomelabRepo({ parent: dir });
  await repo.git.raw(['branch', '-M', 'main']);
  const sim = await startSimulator({ scenario: options.scenario ?? 'healthy', placeDelayMs: 50 });
  const hostsRoot = path.join(dir, 'hosts');
  for (const host of LAB_HOSTS) for (const sub of ['run', 'var/log/journal', 'etc/fixture']) mkdirSync(path.join(hostsRoot, host, sub), { recursive: true });
  const home = path.join(dir, 'home');
  mkdirSync(home);
  const base = JSON.parse(await readFile(path.join(repo.dir, 'steward.json'), 'utf8')) as Record<string, unknown>;
  const lab: AgentLab = {
    dir,
    repo,
    sim,
    hostsRoot,
    stateFile: path.join(dir, 'state.db'),
    home,
    failUnit(host, unit, journal) {
      writeFileSync(path.join(hostsRoot, host, 'run/failed-units'), `${unit}\n`, { flag: 'a' });
      writeFileSync(path.join(hostsRoot, host, 'var/log/journal', `${unit}.log`), `${journal.join('\n')}\n`);
    },
    async configure(extra) {
      const nomad = { ...(base.nomad as object), address: sim.nomadUrl };
      await writeFile(path.join(repo.dir, 'steward.json'), JSON.stringify({ ...base, nomad, consul: { address: sim.consulUrl }, ...extra }, null, 2));
      await repo.git.add('steward.json');
      await repo.git.commit('configure steward for the lab');
    },
    async close() {
      await sim.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  await lab.configure({});
  return lab;
}
