// Starting states for the simulator: a small homelab cluster (3 servers, 3 clients) with a few
// running jobs, and variants that start degraded. `steward sim --scenario <name>` picks one.
import type { ClusterState } from './cluster-state.js';
import { parseJobHcl } from './hcl-to-job.js';
import type { Scheduler } from './scheduler.js';

export const SCENARIOS = ['healthy', 'empty', 'unhealthy-alloc', 'failing-deployments', 'no-leader', 'lost-quorum'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export const SCENARIO_JOBS: Record<string, string> = {
  whoami: `job "whoami" {
  datacenters = ["dc1"]
  type        = "service"

  group "web" {
    count = 2

    update {
      max_parallel     = 1
      min_healthy_time = "10s"
      healthy_deadline = "2m"
      auto_revert      = true
    }

    network {
      port "http" { to = 80 }
    }

    service {
      name = "whoami"
      port = "http"
      tags = ["traefik.enable=true", "traefik.http.routers.whoami.rule=Host(\`whoami.lab\`)"]

      check {
        type     = "http"
        path     = "/health"
        interval = "10s"
        timeout  = "2s"
      }
    }

    task "whoami" {
      driver = "docker"

      config {
        image = "traefik/whoami:v1.10.1"
        ports = ["http"]
      }

      resources {
        cpu    = 100
        memory = 64
      }
    }
  }
}
`,
  postgres: `job "postgres" {
  datacenters = ["dc1"]

  group "db" {
    volume "pgdata" {
      type   = "host"
      source = "pgdata"
    }

    network {
      port "db" { static = 5432 }
    }

    service {
      name = "postgres"
      port = "db"

      check {
        type     = "tcp"
        interval = "10s"
        timeout  = "2s"
      }
    }

    task "postgres" {
      driver = "docker"

      config {
        image = "postgres:16.4"
        ports = ["db"]
      }

      volume_mount {
        volume      = "pgdata"
        destination = "/var/lib/postgresql/data"
      }

      resources {
        cpu    = 500
        memory = 1024
      }
    }
  }
}
`,
  traefik: `job "traefik" {
  datacenters = ["dc1"]
  type        = "system"

  group "traefik" {
    network {
      port "http"  { static = 80 }
      port "https" { static = 443 }
    }

    service {
      name = "traefik"
      port = "http"

      check {
        type     = "tcp"
        interval = "10s"
        timeout  = "2s"
      }
    }

    task "traefik" {
      driver = "docker"

      config {
        image        = "traefik:v3.1.2"
        network_mode = "host"
      }

      resources {
        cpu    = 200
        memory = 128
      }
    }
  }
}
`,
};

/** Servers, clients and leaders every scenario starts from. */
export function seedCluster(state: ClusterState, datacenter = 'dc1'): void {
  state.datacenter = datacenter;
  for (const i of [1, 2, 3]) state.servers.push({ id: state.newId(), name: `server-${i}`, ip: `10.0.0.${10 + i}`, alive: true });
  for (const i of [1, 2, 3]) {
    state.nodes.push({ id: state.newId(), name: `client-${i}`, address: `10.0.0.${20 + i}`, datacenter, status: 'ready', eligible: true, cpu: 12000, memoryMB: 32768, createIndex: 1, modifyIndex: 1 });
  }
  state.leaders.nomad = 'server-1';
  state.leaders.consul = 'server-1';
}

export async function applyScenario(name: ScenarioName, state: ClusterState, scheduler: Scheduler, datacenter = 'dc1'): Promise<void> {
  seedCluster(state, datacenter);
  if (name === 'empty') return;
  for (const hcl of Object.values(SCENARIO_JOBS)) scheduler.register(await parseJobHcl(hcl.replaceAll('"dc1"', JSON.stringify(datacenter))), undefined, { instant: true });
  if (name === 'unhealthy-alloc') {
    const alloc = state.liveAllocs('whoami')[0];
    if (alloc) {
      alloc.checksPassing = false;
      state.write('services');
    }
  }
  if (name === 'failing-deployments') for (const id of state.jobs.keys()) scheduler.failNextDeployment(id);
  if (name === 'no-leader') {
    state.leaders.nomad = null;
    state.leaders.consul = null;
  }
  if (name === 'lost-quorum') {
    for (const server of state.servers.slice(1)) server.alive = false;
    state.leaders.nomad = null;
    state.leaders.consul = null;
  }
}
