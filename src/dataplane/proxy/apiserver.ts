/**
 * The `kubernetes` Service's endpoint: a listener on the control-plane node's stack at the API
 * port that pipes each pod connection to the real API server on 127.0.0.1.
 */
import net from 'node:net';
import { describeLimitHit, type ConnectionBudget } from '../../net/budget.js';
import type { Listener, Network } from '../../net/types.js';
import { splice } from './bridge.js';

/**
 * Starts the bridge on the stack owning `nodeIp`; returns undefined (after logging) when it cannot
 * listen. Each bridged connection holds a real socket, so it counts in the data plane's budget.
 */
export function bridgeApiServer(network: Network, nodeIp: string, apiPort: number, log: (line: string) => void, budget?: ConnectionBudget): Listener | undefined {
  const stack = network.stackFor(nodeIp);
  if (!stack) {
    log(`service proxy: no node stack at ${nodeIp}; pods cannot reach the API server through the kubernetes Service`);
    return undefined;
  }
  const gate = budget?.gate((hit) => log(`service proxy: ${describeLimitHit(`the kubernetes Service's bridge to the API server (${nodeIp}:${apiPort})`, hit)}`));
  try {
    return stack.listen(apiPort, (conn) => {
      if (gate && !gate.admit(conn)) { conn.destroy(); return; }
      const real = net.connect({ host: '127.0.0.1', port: apiPort, allowHalfOpen: true });
      real.on('error', () => undefined);
      conn.on('error', () => undefined);
      real.once('connect', () => splice(conn, real));
      real.once('error', () => conn.destroy());
    });
  } catch (e) {
    log(`service proxy: cannot listen on ${nodeIp}:${apiPort} for the API server: ${(e as Error).message}`);
    return undefined;
  }
}
