# Miniflux, the lab's feed reader: stateless itself, its data is in PostgreSQL.
job "miniflux" {
  datacenters = ["home"]
  type        = "service"

  group "miniflux" {
    count = 1

    update {
      max_parallel     = 1
      canary           = 1
      auto_promote     = true
      auto_revert      = true
      healthy_deadline = "2m"
    }

    network {
      port "http" {
        to = 8080
      }
    }

    service {
      name = "miniflux"
      port = "http"

      tags = [
        "traefik.enable=true",
        "traefik.http.routers.miniflux.entrypoints=websecure",
        "traefik.http.routers.miniflux.rule=Host(`rss.lab.example.org`)",
        "traefik.http.routers.miniflux.tls.certresolver=letsencrypt",
        "traefik.http.routers.miniflux.middlewares=authelia@consulcatalog",
      ]

      check {
        type     = "http"
        path     = "/healthcheck"
        interval = "10s"
        timeout  = "2s"
      }
    }

    task "miniflux" {
      driver = "docker"

      config {
        image = "miniflux/miniflux:2.2.0"
        ports = ["http"]
      }

      template {
        data        = <<EOH
{{ range service "postgres" }}
DATABASE_URL=postgres://miniflux:{{ with nomadVar "nomad/jobs/miniflux" }}{{ .db_password }}{{ end }}@{{ .Address }}:{{ .Port }}/miniflux?sslmode=disable
{{ end }}
EOH
        destination = "secrets/miniflux.env"
        env         = true
      }

      env {
        RUN_MIGRATIONS = "1"
        BASE_URL       = "https://rss.lab.example.org"
        AUTH_PROXY_HEADER = "Remote-User"
      }

      resources {
        cpu    = 100
        memory = 128
      }
    }
  }
}
