/** Informers: list then watch a resource through the client, calling handlers for every change. */
import type { KObject } from '../api/meta.js';
import type { Client, ResourceRef } from './client.js';

/** Change handlers; `update` receives the new object only (controllers are level-triggered). */
export interface InformerHandlers {
  add?(o: KObject): void;
  update?(o: KObject): void;
  delete?(o: KObject): void;
}

/** A running informer. */
export interface Informer { stop(): void }

/** Starts an informer on a collection (all namespaces unless ns is given). */
export function inform(client: Client, ref: ResourceRef, h: InformerHandlers, ns?: string): Informer {
  const handle = client.watch(ref, ns, {}, (e) => {
    if (e.type === 'ADDED') h.add?.(e.object);
    else if (e.type === 'MODIFIED') h.update?.(e.object);
    else h.delete?.(e.object);
  });
  return { stop: () => handle.stop() };
}

/** The namespace/name key of an object. */
export function keyOf(o: KObject): string {
  return o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name ?? '';
}

/** Splits a key into namespace and name. */
export function splitKey(key: string): [string, string] {
  const i = key.indexOf('/');
  return i < 0 ? ['', key] : [key.slice(0, i), key.slice(i + 1)];
}
