// The Consul HTTP API client: service health and checks, members, raft peers and leader, on the
// same request loop as the Nomad client (X-Consul-Token, blocking queries, retries, zod).
import { z } from 'zod';
import type { ConsulCheck, ConsulMember, ConsulPort } from '../../ports/consul.js';
import { ApiClient, type ApiClientOptions } from '../nomad-http/api-client.js';
import { list } from '../nomad-http/schemas.js';
import { CheckWire, MemberWire, RaftConfigurationWire, ServiceEntryWire } from './schemas.js';

export type ConsulClientOptions = Omit<ApiClientOptions, 'service' | 'tokenHeader' | 'indexHeader' | 'defaultQuery'> & {
  /** Datacenter to query (Consul's `dc`); the agent's own when unset. */
  datacenter?: string;
};

export type ConsulClient = ConsulPort & { close(): void };

/** Serf member states, in the order Consul numbers them. */
const MEMBER_STATUS: ConsulMember['status'][] = ['none', 'alive', 'leaving', 'left', 'failed'];

export function createConsulClient(options: ConsulClientOptions): ConsulClient {
  const api = new ApiClient({
    ...options,
    service: 'consul',
    tokenHeader: 'X-Consul-Token',
    indexHeader: 'X-Consul-Index',
    defaultQuery: { dc: options.datacenter },
  });
  const get = async <S extends z.ZodType>(path: string, schema: S, query?: Record<string, string | undefined>, blocking?: { index?: number; waitMs?: number }) =>
    api.call({ method: 'GET', path, schema, query, idempotent: true, blocking });

  return {
    async serviceHealth(service, opts = {}) {
      const { index, value } = await get(`/v1/health/service/${encodeURIComponent(service)}`, list(ServiceEntryWire), opts.passingOnly ? { passing: 'true' } : undefined, opts);
      return {
        index,
        value: value.map((entry) => ({
          node: entry.Node.Node,
          nodeAddress: entry.Node.Address,
          serviceId: entry.Service.ID,
          service: entry.Service.Service,
          tags: entry.Service.Tags,
          // Consul leaves Service.Address empty when the service uses its node's address.
          address: entry.Service.Address || entry.Node.Address,
          port: entry.Service.Port,
          checks: entry.Checks.map(toCheck),
        })),
      };
    },
    async checksInState(state) {
      return (await get(`/v1/health/state/${state}`, list(CheckWire))).value.map(toCheck);
    },
    async members() {
      const { value } = await get('/v1/agent/members', list(MemberWire));
      return value.map((m) => ({ name: m.Name, address: m.Addr, port: m.Port, status: MEMBER_STATUS[m.Status] ?? 'none', role: m.Tags.role ?? '' }));
    },
    async leader() {
      const { value } = await get('/v1/status/leader', z.string());
      return value === '' ? null : value;
    },
    async peers() {
      return (await get('/v1/status/peers', list(z.string()))).value;
    },
    async raftConfiguration() {
      const { value } = await get('/v1/operator/raft/configuration', RaftConfigurationWire);
      return value.Servers.map((s) => ({ id: s.ID, node: s.Node, address: s.Address, leader: s.Leader, voter: s.Voter }));
    },
    close: () => api.close(),
  };
}

function toCheck(check: CheckWire): ConsulCheck {
  return { node: check.Node, checkId: check.CheckID, name: check.Name, status: check.Status, serviceId: check.ServiceID, serviceName: check.ServiceName, output: check.Output };
}
