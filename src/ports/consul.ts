// Consul, as Steward needs it: service health and checks for verification, members and raft
// peers for the quorum checks before and between deploys. `adapters/consul-http` implements it.
import type { BlockingQuery, Indexed, RaftServer } from './nomad.js';

export type CheckStatus = 'passing' | 'warning' | 'critical';

export interface ConsulCheck {
  node: string;
  checkId: string;
  name: string;
  status: CheckStatus | (string & {});
  serviceId: string;
  serviceName: string;
  output: string;
}

export interface ConsulServiceInstance {
  node: string;
  nodeAddress: string;
  serviceId: string;
  service: string;
  tags: string[];
  address: string;
  port: number;
  /** The node's checks (e.g. serfHealth) and the service's own. */
  checks: ConsulCheck[];
}

export interface ConsulMember {
  name: string;
  address: string;
  port: number;
  /** Serf status: alive, leaving, left, failed (Consul reports it as a number). */
  status: 'none' | 'alive' | 'leaving' | 'left' | 'failed';
  role: string;
}

export interface ConsulHealth {
  serviceHealth(service: string, options?: { passingOnly?: boolean } & BlockingQuery): Promise<Indexed<ConsulServiceInstance[]>>;
  checksInState(state: CheckStatus | 'any'): Promise<ConsulCheck[]>;
}

export interface ConsulCluster {
  members(): Promise<ConsulMember[]>;
  /** The leader's address, or null when the cluster has none. */
  leader(): Promise<string | null>;
  peers(): Promise<string[]>;
  raftConfiguration(): Promise<RaftServer[]>;
}

export type ConsulPort = ConsulHealth & ConsulCluster;
