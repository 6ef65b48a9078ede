# A stateless test page, two instances behind Authelia: the first thing to check after an
# ingress or auth change.
variable "domain" {
  type    = string
  default = "lab.example.org"
}

job "whoami" {
  datacenters = ["home"]
  type        = "service"

  group "whoami" {
    count = 2

    update {
      max_parallel     = 1
      canary           = 1
      auto_promote     = true
      auto_revert      = true
      min_healthy_time = "10s"
      healthy_deadline = "1m"
    }

    network {
      port "http" {
        to = 80
      }
    }

    service {
      name = "whoami"
      port = "http"

      tags = [
        "traefik.enable=true",
        "traefik.http.routers.whoami.entrypoints=websecure",
        "traefik.http.routers.whoami.rule=Host(`whoami.${var.domain}`)",
        "traefik.http.routers.whoami.tls.certresolver=letsencrypt",
        "traefik.http.routers.whoami.middlewares=authelia@consulcatalog",
      ]

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
        image = "traefik/whoami:v1.10.3"
        ports = ["http"]
      }

      env {
        WHOAMI_NAME = "${NOMAD_ALLOC_INDEX}"
      }

      resources {
        cpu    = 50
        memory = 32
      }
    }
  }
}
