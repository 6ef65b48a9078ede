// The demo's Nomad commits on the example homelab's jobs (examples/homelab/nomad), with what a
// correct review concludes. Shared by the demo, the tests and the benchmarks.
import type { Scenario } from './scenarios.js';

/** A new stateless job behind Authelia. */
export const IT_TOOLS_JOB = `# Handy developer tools in the browser: stateless, behind Authelia.
job "it-tools" {
  datacenters = ["home"]
  type        = "service"

  group "it-tools" {
    count = 1

    update {
      max_parallel = 1
      canary       = 1
      auto_promote = true
      auto_revert  = true
    }

    network {
      port "http" {
        to = 80
      }
    }

    service {
      name = "it-tools"
      port = "http"

      tags = [
        "traefik.enable=true",
        "traefik.http.routers.it-tools.entrypoints=websecure",
        "traefik.http.routers.it-tools.rule=Host(\`tools.lab.example.org\`)",
        "traefik.http.routers.it-tools.tls.certresolver=letsencrypt",
        "traefik.http.routers.it-tools.middlewares=authelia@consulcatalog",
      ]

      check {
        type     = "http"
        path     = "/"
        interval = "10s"
        timeout  = "2s"
      }
    }

    task "it-tools" {
      driver = "docker"

      config {
        image = "corentinth/it-tools:2024.10.22-7ca5933"
        ports = ["http"]
      }

      resources {
        cpu    = 50
        memory = 64
      }
    }
  }
}
`;

/** A new job whose web UI takes static port 80, which the Traefik system job holds on every node. */
export const ADGUARD_JOB = `# Network-wide DNS ad blocking. Its web UI was left on port 80, where Traefik already listens.
job "adguard" {
  datacenters = ["home"]
  type        = "service"

  group "adguard" {
    network {
      port "dns" {
        static = 53
      }
      port "http" {
        static = 80
      }
    }

    service {
      name = "adguard-dns"
      port = "dns"
    }

    task "adguard" {
      driver = "docker"

      config {
        image = "adguard/adguardhome:v0.107.52"
        ports = ["dns", "http"]
      }

      resources {
        cpu    = 100
        memory = 128
      }
    }
  }
}
`;

export const NOMAD_SCENARIOS: Scenario[] = [
  {
    id: 'image-patch-bump',
    title: 'A Nomad image patch bump (Miniflux 2.2.0 -> 2.2.1, stateless)',
    message: 'miniflux: 2.2.1',
    edits: [{ file: 'nomad/miniflux.nomad', find: 'miniflux/miniflux:2.2.0', replace: 'miniflux/miniflux:2.2.1' }],
    expect: { label: 'clean', reasons: [{ ruleId: 'job.image-patch' }], changedHosts: [], changedJobs: ['miniflux'] },
  },
  {
    id: 'stateful-major-bump',
    title: 'A major bump of a stateful app (PostgreSQL 16 -> 17 on its host volume)',
    message: 'postgres: 17',
    edits: [{ file: 'nomad/postgres.nomad', find: 'postgres:16.4"', replace: 'postgres:17.0"' }],
    expect: { label: 'risky', reasons: [{ ruleId: 'job.image-major-stateful' }], changedHosts: [], changedJobs: ['postgres'] },
  },
  {
    id: 'new-job',
    title: 'A new job (IT-Tools, stateless, behind Authelia)',
    message: 'it-tools: new job',
    edits: [{ file: 'nomad/it-tools.nomad', content: IT_TOOLS_JOB }],
    expect: { label: 'clean', reasons: [{ ruleId: 'job.added' }], changedHosts: [], changedJobs: ['it-tools'] },
  },
  {
    id: 'static-port-conflict',
    title: 'A static port conflict (AdGuard wants port 80, held by Traefik on every node)',
    message: 'adguard: new job',
    edits: [{ file: 'nomad/adguard.nomad', content: ADGUARD_JOB }],
    expect: { label: 'risky', outcome: 'validation-failed', reasons: [{ ruleId: 'job.static.static-port-conflict' }], changedHosts: [], changedJobs: ['adguard'] },
  },
];
