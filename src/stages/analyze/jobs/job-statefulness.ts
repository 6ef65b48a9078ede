// Does a task, group or job hold data? Writable host/CSI volumes, bind mounts of host data
// directories, Docker named volumes, or a known database image. Pure.
import type { DockerMount, Group, NomadJob, Task } from '../../../model/nomad-job.js';
import { parseImageRef } from './compare-image-tags.js';

export interface Statefulness {
  stateful: boolean;
  because: string[];
}

const DATABASES =
  /^(postgres|postgresql|postgis|pgvector|timescaledb|mysql|mariadb|percona|mongo|mongodb|redis|valkey|keydb|influxdb|clickhouse|clickhouse-server|cockroach|elasticsearch|opensearch|minio|etcd|couchdb|couchbase|neo4j|cassandra|scylla|questdb|victoria-metrics|victoriametrics|meilisearch|rabbitmq|kafka|zookeeper|surrealdb|dragonfly)(?=$|[-_.])(.*)$/;
// Tools around a database that keep no data themselves.
const DATABASE_TOOLS = /exporter|express|commander|admin|backup|proxy|operator|insight|sentinel|cli|ui$/;

/** `postgres:16`, `bitnami/postgresql`, `timescale/timescaledb-ha`; not `postgres-exporter`. */
export function isDatabaseImage(image: string | null): boolean {
  if (!image) return false;
  const repository = parseImageRef(image).repository.toLowerCase();
  const name = repository.slice(repository.lastIndexOf('/') + 1);
  const m = DATABASES.exec(name);
  return m !== null && !DATABASE_TOOLS.test(m[2] ?? '');
}

// Host paths that carry system state or sockets, not an application's data.
const SYSTEM_PATHS = /^\/(etc|run|var\/run|dev|sys|proc|nix\/store|tmp|usr|lib|lib64|bin|sbin)(\/|$)/;

/** A bind mount or Docker volume that keeps writable data beyond the allocation. */
export function isDataMount(m: DockerMount): boolean {
  if (m.readOnly || m.type === 'tmpfs' || m.source === '') return false;
  if (m.type === 'volume') return true;
  // Relative sources live in the task directory (local/, secrets/, alloc/): gone with the allocation.
  if (!m.source.startsWith('/')) return false;
  return !SYSTEM_PATHS.test(m.source) && !m.source.endsWith('.sock');
}

export function describeMount(m: DockerMount): string {
  const kind = m.type === 'volume' ? 'docker volume' : `${m.type} mount`;
  return `${kind} ${m.source} -> ${m.target} (${m.readOnly ? 'ro' : 'rw'})`;
}

export function taskStatefulness(task: Task, group: Group): Statefulness {
  const because: string[] = [];
  for (const vm of task.volumeMounts) {
    const volume = group.volumes.find((v) => v.name === vm.volume);
    if (volume && !volume.readOnly && !vm.readOnly) {
      because.push(`${volume.type} volume ${volume.source} at ${vm.destination} (rw)`);
    }
  }
  for (const m of task.mounts) if (isDataMount(m)) because.push(describeMount(m));
  // The operator asked Nomad to carry the allocation directory across updates: data lives there.
  if (keepsAllocData(group)) because.push('sticky, migrated ephemeral disk');
  if (isDatabaseImage(task.image)) because.push(`image ${parseImageRef(task.image ?? '').repository} (a database)`);
  return { stateful: because.length > 0, because };
}

function keepsAllocData(group: Group): boolean {
  return group.ephemeralDisk !== null && group.ephemeralDisk.sticky && group.ephemeralDisk.migrate;
}

export function groupStatefulness(group: Group): Statefulness {
  const because = group.tasks.flatMap((t) => taskStatefulness(t, group).because.map((b) => `${group.name}/${t.name}: ${b}`));
  return { stateful: because.length > 0, because };
}

export function jobStatefulness(job: NomadJob): Statefulness {
  const because = job.groups.flatMap((g) => groupStatefulness(g).because);
  return { stateful: because.length > 0, because };
}
