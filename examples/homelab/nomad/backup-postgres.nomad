# Nightly dump of every PostgreSQL database to the NAS (NFS, mounted on every node at
# /mnt/backup). Keeps 14 days.
job "backup-postgres" {
  datacenters = ["home"]
  type        = "batch"

  periodic {
    crons            = ["0 3 * * *"]
    time_zone        = "Europe/Berlin"
    prohibit_overlap = true
  }

  group "dump" {
    count = 1

    restart {
      attempts = 2
      delay    = "5m"
      mode     = "fail"
    }

    task "pg-dumpall" {
      driver = "docker"

      config {
        image   = "postgres:16.4"
        command = "/bin/sh"
        args    = ["-c", "pg_dumpall | gzip > /backup/postgres-$(date +%F).sql.gz && find /backup -name 'postgres-*.sql.gz' -mtime +14 -delete"]

        mount {
          type     = "bind"
          source   = "/mnt/backup/postgres"
          target   = "/backup"
          readonly = false
        }
      }

      template {
        data        = <<EOH
{{ range service "postgres" }}
PGHOST={{ .Address }}
PGPORT={{ .Port }}
{{ end }}
PGUSER=postgres
PGPASSWORD={{ with nomadVar "nomad/jobs/backup-postgres" }}{{ .password }}{{ end }}
EOH
        destination = "secrets/pg.env"
        env         = true
      }

      resources {
        cpu    = 200
        memory = 256
      }
    }
  }
}
