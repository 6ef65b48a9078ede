# Grafana dashboards, behind Authelia (Grafana trusts the Remote-User header it sets).
job "grafana" {
  datacenters = ["home"]
  type        = "service"

  group "grafana" {
    count = 1

    update {
      max_parallel     = 1
      canary           = 0
      auto_revert      = true
      healthy_deadline = "3m"
    }

    network {
      port "http" {
        to = 3000
      }
    }

    volume "grafana" {
      type      = "host"
      source    = "grafana-data"
      read_only = false
    }

    service {
      name = "grafana"
      port = "http"

      tags = [
        "traefik.enable=true",
        "traefik.http.routers.grafana.entrypoints=websecure",
        "traefik.http.routers.grafana.rule=Host(`grafana.lab.example.org`)",
        "traefik.http.routers.grafana.tls.certresolver=letsencrypt",
        "traefik.http.routers.grafana.middlewares=authelia@consulcatalog",
      ]

      check {
        type     = "http"
        path     = "/api/health"
        interval = "10s"
        timeout  = "2s"
      }
    }

    task "grafana" {
      driver = "docker"
      user   = "472"

      config {
        image = "grafana/grafana-oss:11.2.0"
        ports = ["http"]
      }

      volume_mount {
        volume      = "grafana"
        destination = "/var/lib/grafana"
      }

      env {
        GF_SERVER_ROOT_URL        = "https://grafana.lab.example.org/"
        GF_AUTH_PROXY_ENABLED     = "true"
        GF_AUTH_PROXY_HEADER_NAME = "Remote-User"
        GF_PATHS_PROVISIONING     = "/local/provisioning"
      }

      template {
        data        = <<EOH
apiVersion: 1
datasources:
  - name: Prometheus
    type: prometheus
    url: http://{{ range service "prometheus" }}{{ .Address }}:{{ .Port }}{{ end }}
EOH
        destination = "local/provisioning/datasources/prometheus.yml"
      }

      resources {
        cpu    = 300
        memory = 256
      }
    }
  }
}
