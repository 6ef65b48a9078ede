# The lab's PostgreSQL: one instance on a host volume. Apps find it through Consul
# (`service "postgres"` in their templates). Major upgrades need a dump and restore.
job "postgres" {
  datacenters = ["home"]
  type        = "service"

  group "postgres" {
    count = 1

    # One writer on a host volume: no canary, and stop the old allocation before the new starts.
    update {
      max_parallel      = 1
      canary            = 0
      auto_revert       = true
      healthy_deadline  = "5m"
      progress_deadline = "10m"
    }

    restart {
      attempts = 3
      interval = "10m"
      delay    = "30s"
      mode     = "fail"
    }

    network {
      port "db" {
        to = 5432
      }
    }

    volume "data" {
      type      = "host"
      source    = "postgres-data"
      read_only = false
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
        volume      = "data"
        destination = "/var/lib/postgresql/data"
        read_only   = false
      }

      template {
        data        = <<EOH
POSTGRES_PASSWORD={{ with nomadVar "nomad/jobs/postgres" }}{{ .password }}{{ end }}
EOH
        destination = "secrets/postgres.env"
        env         = true
      }

      env {
        PGDATA = "/var/lib/postgresql/data/pgdata"
      }

      resources {
        cpu        = 500
        memory     = 512
        memory_max = 1024
      }
    }
  }
}
