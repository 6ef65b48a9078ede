// The Consul API subset the simulator serves: service health and checks, members, raft peers
// and leader. Health follows the allocations Nomad runs (see consul-views).
import { SimError, type ClusterState } from './cluster-state.js';
import { allChecks, members, serviceEntries } from './consul-views.js';
import type { Route } from './http-server.js';
import { leaderAddress, peers, raftConfiguration } from './views.js';

const STATES = new Set(['any', 'passing', 'warning', 'critical']);

export function consulRoutes(state: ClusterState): Route[] {
  return [
    {
      method: 'GET',
      pattern: '/v1/health/service/:name',
      handle: ({ params, query }) => {
        const passingOnly = query.has('passing') && query.get('passing') !== 'false';
        const entries = serviceEntries(state)
          .filter((e) => e.Service.Service === params.name)
          .filter((e) => !passingOnly || e.Checks.every((c) => c.Status === 'passing'));
        return { body: entries, index: state.tables.services };
      },
    },
    {
      method: 'GET',
      pattern: '/v1/health/state/:state',
      handle: ({ params }) => {
        if (!STATES.has(params.state!)) throw new SimError(400, `Bad state: ${params.state}`);
        const checks = allChecks(state).filter((c) => params.state === 'any' || c.Status === params.state);
        return { body: checks, index: state.tables.services };
      },
    },
    { method: 'GET', pattern: '/v1/agent/members', noLeader: true, handle: () => ({ body: members(state) }) },
    { method: 'GET', pattern: '/v1/status/leader', noLeader: true, noAcl: true, handle: () => ({ body: leaderAddress(state, 'consul') }) },
    { method: 'GET', pattern: '/v1/status/peers', noLeader: true, noAcl: true, handle: () => ({ body: peers(state, 'consul') }) },
    { method: 'GET', pattern: '/v1/operator/raft/configuration', handle: () => ({ body: raftConfiguration(state, 'consul') }) },
  ];
}
