/**
 * The `kubernetes` Service's endpoint: a listener on the control-plane node's stack at the API
 * port that pipes each pod connection to the real API server on 127.0.0.1.
 */
import net from 'node:net';
import type { Listener, Network } from '../../net/types.js';
import { splice } from './bridge.js';

/** Starts the bridge on the stack owning `nodeIp`; returns undefined (after logging) when it cannot listen. */
export function bridgeApiServer(network: Network, nodeIp: string, apiPort: number, log: (line: string) => void): Listener | undefined {
  const stack = network.stackFor(nodeIp);
  if (!stack) {
    log(`service proxy: no node stack at ${nodeIp}; pods cannot reach the API server through the kubernetes Service`);
    return undefined;
  }
  try {
    return stack.listen(apiPort, (conn) => {
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
