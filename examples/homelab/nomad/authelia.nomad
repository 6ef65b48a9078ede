# Single sign-on for the lab: Traefik's forward-auth middleware `authelia` (defined below in
# the service tags) guards every public route. Its state lives in PostgreSQL.
job "authelia" {
  datacenters = ["home"]
  type        = "service"

  group "authelia" {
    count = 1

    update {
      max_parallel     = 1
      canary           = 1
      auto_promote     = true
      auto_revert      = true
      healthy_deadline = "3m"
    }

    network {
      port "http" {
        to = 9091
      }
    }

    service {
      name = "authelia"
      port = "http"

      tags = [
        "traefik.enable=true",
        "traefik.http.routers.authelia.entrypoints=websecure",
        "traefik.http.routers.authelia.rule=Host(`auth.lab.example.org`)",
        "traefik.http.routers.authelia.tls.certresolver=letsencrypt",
        "traefik.http.middlewares.authelia.forwardauth.address=http://authelia.service.consul:9091/api/authz/forward-auth",
        "traefik.http.middlewares.authelia.forwardauth.trustForwardHeader=true",
        "traefik.http.middlewares.authelia.forwardauth.authResponseHeaders=Remote-User,Remote-Groups,Remote-Email",
      ]

      check {
        type     = "http"
        path     = "/api/health"
        interval = "10s"
        timeout  = "2s"
      }
    }

    task "authelia" {
      driver = "docker"

      config {
        image = "authelia/authelia:4.38.10"
        ports = ["http"]
      }

      template {
        data        = <<EOH
{{ with nomadVar "nomad/jobs/authelia" }}
AUTHELIA_IDENTITY_VALIDATION_RESET_PASSWORD_JWT_SECRET={{ .jwt_secret }}
AUTHELIA_SESSION_SECRET={{ .session_secret }}
AUTHELIA_STORAGE_ENCRYPTION_KEY={{ .storage_key }}
AUTHELIA_STORAGE_POSTGRES_PASSWORD={{ .db_password }}
{{ end }}
{{ range service "postgres" }}
AUTHELIA_STORAGE_POSTGRES_ADDRESS=tcp://{{ .Address }}:{{ .Port }}
{{ end }}
EOH
        destination = "secrets/authelia.env"
        env         = true
      }

      template {
        data        = <<EOH
session:
  cookies:
    - domain: lab.example.org
      authelia_url: https://auth.lab.example.org
access_control:
  default_policy: two_factor
storage:
  postgres:
    database: authelia
    username: authelia
EOH
        destination = "local/configuration.yml"
        change_mode = "restart"
      }

      env {
        X_AUTHELIA_CONFIG = "/local/configuration.yml"
        TZ                = "Europe/Berlin"
      }

      resources {
        cpu    = 100
        memory = 128
      }
    }
  }
}
