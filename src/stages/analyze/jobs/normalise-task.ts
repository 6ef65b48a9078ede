// Normalisation of one Nomad task: driver and image, resources, mounts, templates (and what they
// read: Nomad variables, Vault, Consul), environment (names only), lifecycle. Pure.
import type { DockerMount, Task, Template, VolumeMount } from '../../../model/nomad-job.js';
import { childBlocks, type OutlineBlock } from '../../../model/hcl-outline.js';
import { normaliseAffinities, normaliseConstraints, normaliseRestart } from './normalise-stanzas.js';
import { bodies, bool, digest, firstBody, num, str, strList, strMap, type RawBody } from './raw-hcl.js';

export function normaliseTask(name: string, body: RawBody, outline: OutlineBlock | undefined): Task {
  const driver = str(body.driver) ?? '';
  const config = firstBody(body.config) ?? {};
  const configOutline = childBlocks(outline, 'config')[0];
  // docker, podman and containerd name it `image`; qemu's `image_path` is a disk, not an image.
  const image = str(config.image);
  const resources = firstBody(body.resources) ?? {};
  const { image: _image, mount: _mount, mounts: _mounts, volumes: _volumes, ...restOfConfig } = config;
  return {
    name,
    driver,
    image,
    imageLine: configOutline?.attributes.image ?? null,
    user: str(body.user),
    resources: {
      cpu: num(resources.cpu),
      cores: num(resources.cores),
      memory: num(resources.memory),
      memoryMax: num(resources.memory_max),
    },
    volumeMounts: normaliseVolumeMounts(body),
    mounts: normaliseDockerMounts(config),
    templates: bodies(body.template).map((t, i) => normaliseTemplate(t, childBlocks(outline, 'template')[i]?.line ?? null)),
    env: Object.fromEntries(Object.entries(strMap(body.env)).map(([k, v]) => [k, digest(v)])),
    constraints: normaliseConstraints(body),
    affinities: normaliseAffinities(body),
    restart: normaliseRestart(body),
    meta: strMap(body.meta),
    lifecycle: str(firstBody(body.lifecycle)?.hook),
    configDigest: digest(restOfConfig),
    line: outline?.line ?? null,
  };
}

function normaliseVolumeMounts(body: RawBody): VolumeMount[] {
  return bodies(body.volume_mount).map((m) => ({
    volume: str(m.volume) ?? '',
    destination: str(m.destination) ?? '',
    readOnly: bool(m.read_only) ?? false,
  }));
}

/** Docker `mount` blocks (type defaults to `volume`) and `volumes = ["src:dst[:ro]"]` entries. */
export function normaliseDockerMounts(config: RawBody): DockerMount[] {
  const out: DockerMount[] = [];
  for (const m of [...bodies(config.mount), ...bodies(config.mounts)]) {
    const type = str(m.type) ?? 'volume';
    out.push({
      type: type === 'bind' || type === 'tmpfs' ? type : 'volume',
      source: str(m.source) ?? '',
      target: str(m.target) ?? '',
      readOnly: bool(m.readonly) ?? bool(m.read_only) ?? false,
    });
  }
  // With a volume_driver the left side names a volume; without one it is a host path (a relative
  // path is relative to the task directory).
  const named = str(config.volume_driver) !== null;
  for (const entry of strList(config.volumes)) {
    const [source = '', target = '', options = ''] = entry.split(':');
    out.push({ type: named ? 'volume' : 'bind', source, target, readOnly: options.split(',').includes('ro') });
  }
  return out;
}

const REFERENCE = /\b(nomadVarExists|nomadVarList|nomadVar|secret|keyOrDefault|keyExists|key|safeLs|ls|safeTree|tree|nomadService|service)\s+(?:"([^"]+)"|`([^`]+)`)/g;

export function normaliseTemplate(t: RawBody, line: number | null): Template {
  const data = str(t.data) ?? '';
  const refs = templateReferences(data, str(t.left_delimiter) ?? '{{', str(t.right_delimiter) ?? '}}');
  return {
    destination: str(t.destination),
    changeMode: str(t.change_mode),
    env: bool(t.env) ?? false,
    ...refs,
    digest: digest({ data, source: t.source ?? null, perms: t.perms ?? null, change_signal: t.change_signal ?? null }),
    line,
  };
}

type TemplateRefs = Pick<Template, 'nomadVariables' | 'vaultPaths' | 'consulKeys' | 'services'>;

/** What a consul-template text reads, looking only inside its actions (between the delimiters). */
export function templateReferences(data: string, left: string, right: string): TemplateRefs {
  const refs: TemplateRefs = { nomadVariables: [], vaultPaths: [], consulKeys: [], services: [] };
  const add = (list: string[], v: string) => {
    if (!list.includes(v)) list.push(v);
  };
  let from = 0;
  while (true) {
    const start = data.indexOf(left, from);
    if (start === -1) break;
    const end = data.indexOf(right, start + left.length);
    if (end === -1) break;
    const action = data.slice(start + left.length, end);
    from = end + right.length;
    for (const m of action.matchAll(REFERENCE)) {
      const fn = m[1]!;
      const arg = m[2] ?? m[3] ?? '';
      // nomadVarExists and nomadVarList tolerate a missing path: only nomadVar needs it to exist.
      if (fn === 'nomadVar') add(refs.nomadVariables, arg);
      else if (fn === 'secret') add(refs.vaultPaths, arg);
      else if (fn === 'service' || fn === 'nomadService') add(refs.services, arg);
      else if (fn !== 'nomadVarExists' && fn !== 'nomadVarList') add(refs.consulKeys, arg);
    }
  }
  return refs;
}
