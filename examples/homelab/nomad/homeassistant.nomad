# Home Assistant on node3, where the Zigbee stick is plugged in. Host networking for mDNS
# discovery, so its port 8123 is fixed. It has its own login: no forward auth (the mobile app
# cannot pass it).
job "homeassistant" {
  datacenters = ["home"]
  type        = "service"

  constraint {
    attribute = "${node.unique.name}"
    value     = "node3"
  }

  group "homeassistant" {
    count = 1

    update {
      max_parallel      = 1
      canary            = 0
      auto_revert       = true
      healthy_deadline  = "5m"
      progress_deadline = "10m"
    }

    network {
      mode = "host"

      port "http" {
        static = 8123
      }
    }

    volume "config" {
      type      = "host"
      source    = "homeassistant-config"
      read_only = false
    }

    service {
      name = "homeassistant"
      port = "http"

      tags = [
        "traefik.enable=true",
        "traefik.http.routers.homeassistant.entrypoints=websecure",
        "traefik.http.routers.homeassistant.rule=Host(`home.lab.example.org`)",
        "traefik.http.routers.homeassistant.tls.certresolver=letsencrypt",
      ]

      check {
        type     = "http"
        path     = "/manifest.json"
        interval = "15s"
        timeout  = "3s"
      }
    }

    task "homeassistant" {
      driver = "docker"

      config {
        image        = "ghcr.io/home-assistant/home-assistant:2024.9.1"
        network_mode = "host"
        privileged   = true

        devices = [
          {
            host_path      = "/dev/serial/by-id/usb-ITead_Sonoff_Zigbee_3.0_USB_Dongle_Plus-if00-port0"
            container_path = "/dev/zigbee"
          }
        ]
      }

      volume_mount {
        volume      = "config"
        destination = "/config"
      }

      env {
        TZ = "Europe/Berlin"
      }

      resources {
        cpu    = 1000
        memory = 1024
      }
    }
  }
}
