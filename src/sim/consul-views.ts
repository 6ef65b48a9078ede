// What the simulator's Consul endpoints serve: the services Nomad registers for running
// allocations (checks passing or critical with the allocation's health), the agents' serf
// checks, the cluster's own services, and the members list.
import type { ClusterState } from './cluster-state.js';
import type { Body } from './hcl-values.js';
import { NOMAD_VERSION } from './views.js';

export interface ServiceEntry {
  Node: Body;
  Service: Body;
  Checks: Body[];
}

interface Agent {
  name: string;
  address: string;
  id: string;
  alive: boolean;
  server: boolean;
}

function agents(state: ClusterState): Agent[] {
  return [
    ...state.servers.map((s) => ({ name: s.name, address: s.ip, id: s.id, alive: s.alive, server: true })),
    ...state.nodes.map((n) => ({ name: n.name, address: n.address, id: n.id, alive: n.status !== 'down', server: false })),
  ];
}

function serfCheck(agent: Agent): Body {
  return {
    Node: agent.name,
    CheckID: 'serfHealth',
    Name: 'Serf Health Status',
    Status: agent.alive ? 'passing' : 'critical',
    Output: agent.alive ? 'Agent alive and reachable' : 'Agent not live or unreachable',
    ServiceID: '',
    ServiceName: '',
    ServiceTags: [],
    Type: '',
  };
}

function nodeOf(state: ClusterState, agent: Agent): Body {
  return { ID: agent.id, Node: agent.name, Address: agent.address, Datacenter: state.datacenter, Meta: {} };
}

/** Every registered service instance with its node's serf check and its own checks. */
export function serviceEntries(state: ClusterState): ServiceEntry[] {
  const all = agents(state);
  const entries: ServiceEntry[] = [];
  for (const agent of all.filter((a) => a.server)) {
    for (const [service, port] of [['consul', 8300], ['nomad', 4647]] as const) {
      entries.push({ Node: nodeOf(state, agent), Service: { ID: service, Service: service, Tags: [], Address: agent.address, Port: port, Meta: {} }, Checks: [serfCheck(agent)] });
    }
  }
  for (const alloc of state.allocs.values()) {
    if (alloc.wire.DesiredStatus !== 'run' || alloc.wire.ClientStatus !== 'running') continue;
    const agent = all.find((a) => a.id === alloc.wire.NodeID);
    if (!agent) continue;
    for (const service of alloc.services) {
      const serviceId = `_nomad-task-${String(alloc.wire.ID)}-${String(alloc.wire.TaskGroup)}-${service.name}-${service.port}`;
      const checks = service.checks.map((name, i) => ({
        Node: agent.name,
        CheckID: `_nomad-check-${String(alloc.wire.ID).slice(0, 8)}${service.name}${i}`,
        Name: name,
        Status: alloc.checksPassing ? 'passing' : 'critical',
        Output: alloc.checksPassing ? 'HTTP GET: 200 OK' : 'dial tcp: connection refused',
        ServiceID: serviceId,
        ServiceName: service.name,
        ServiceTags: service.tags,
        Type: 'http',
      }));
      entries.push({
        Node: nodeOf(state, agent),
        Service: { ID: serviceId, Service: service.name, Tags: service.tags, Address: agent.address, Port: service.port, Meta: { external_source: 'nomad' } },
        Checks: [serfCheck(agent), ...checks],
      });
    }
  }
  return entries;
}

export function allChecks(state: ClusterState): Body[] {
  const seen = new Set<string>();
  const checks: Body[] = [];
  for (const check of [...agents(state).map(serfCheck), ...serviceEntries(state).flatMap((e) => e.Checks)]) {
    const key = `${String(check.Node)}/${String(check.CheckID)}`;
    if (!seen.has(key)) checks.push(check);
    seen.add(key);
  }
  return checks;
}

/** Serf status numbers: 1 alive, 4 failed. */
export function members(state: ClusterState): Body[] {
  const dc = state.datacenter;
  return agents(state).map((a) => ({
    Name: a.name,
    Addr: a.address,
    Port: 8301,
    Tags: a.server ? { role: 'consul', dc, port: '8300', build: '1.19.2', vsn: '2' } : { role: 'node', dc, build: '1.19.2', vsn: '2', nomad: NOMAD_VERSION },
    Status: a.alive ? 1 : 4,
    ProtocolMin: 1,
    ProtocolMax: 5,
    ProtocolCur: 2,
    DelegateMin: 2,
    DelegateMax: 5,
    DelegateCur: 4,
  }));
}
