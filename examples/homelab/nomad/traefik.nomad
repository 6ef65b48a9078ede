# Ingress for every web app in the lab: one Traefik per node (system job), routes read from
# Consul service tags. Ports 80 and 443 are fixed on every node.
job "traefik" {
  datacenters = ["home"]
  type        = "system"

  constraint {
    attribute = "${attr.kernel.name}"
    value     = "linux"
  }

  update {
    max_parallel = 1
    stagger      = "30s"
  }

  group "traefik" {
    network {
      mode = "host"

      port "web" {
        static = 80
      }
      port "websecure" {
        static = 443
      }
      port "api" {}
    }

    service {
      name     = "traefik-dashboard"
      provider = "consul"
      port     = "api"

      tags = [
        "traefik.enable=true",
        "traefik.http.routers.traefik-dashboard.entrypoints=websecure",
        "traefik.http.routers.traefik-dashboard.rule=Host(`traefik.lab.example.org`)",
        "traefik.http.routers.traefik-dashboard.service=api@internal",
        "traefik.http.routers.traefik-dashboard.tls.certresolver=letsencrypt",
        "traefik.http.routers.traefik-dashboard.middlewares=authelia@consulcatalog",
      ]

      check {
        name     = "Traefik ping"
        type     = "http"
        path     = "/ping"
        interval = "10s"
        timeout  = "2s"
      }
    }

    task "traefik" {
      driver = "docker"

      config {
        image        = "traefik:v3.1.2"
        network_mode = "host"
        ports        = ["web", "websecure", "api"]

        args = [
          "--entrypoints.web.address=:80",
          "--entrypoints.web.http.redirections.entrypoint.to=websecure",
          "--entrypoints.websecure.address=:443",
          "--entrypoints.traefik.address=:${NOMAD_PORT_api}",
          "--api.dashboard=true",
          "--ping=true",
          "--providers.consulcatalog.exposedByDefault=false",
          "--providers.consulcatalog.endpoint.address=127.0.0.1:8500",
          "--certificatesresolvers.letsencrypt.acme.dnschallenge.provider=cloudflare",
          "--certificatesresolvers.letsencrypt.acme.storage=/local/acme.json",
        ]
      }

      template {
        data        = <<EOH
CF_DNS_API_TOKEN={{ with nomadVar "nomad/jobs/traefik" }}{{ .cloudflare_token }}{{ end }}
EOH
        destination = "secrets/traefik.env"
        env         = true
      }

      resources {
        cpu    = 200 # MHz
        memory = 128 # MB
      }
    }
  }
}
