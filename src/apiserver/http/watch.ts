/** Streaming watch responses: newline-delimited JSON events, bookmarks, timeouts and 410 Expired. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KObject } from '../../api/meta.js';
import { apiVersionOf, type ResourceDef } from '../../api/resource.js';
import type { Store } from '../../store/types.js';
import { ExpiredError, watchObjects, type SelectOptions } from '../storage/read.js';
import { toTable, type IncludeObject } from './table.js';

/** Watch request options. */
export interface WatchRequest extends SelectOptions {
  resourceVersion?: string;
  timeoutSeconds?: number;
  allowBookmarks: boolean;
  sendInitialEvents: boolean;
  table?: IncludeObject;
}

/** How often a bookmark is sent on a quiet watch. */
const BOOKMARK_MS = 60_000;

/** Serves a watch until the client leaves or the timeout passes. */
export function serveWatch(store: Store, def: ResourceDef, ns: string | undefined, w: WatchRequest, req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  res.flushHeaders();
  req.socket.setNoDelay(true);
  const write = (type: string, object: unknown) => { res.write(JSON.stringify({ type, object }) + '\n'); };
  const encode = (o: KObject) => (w.table ? toTable(def, [o], w.table, { resourceVersion: o.metadata.resourceVersion }) : o);
  const bookmark = (extra: Record<string, string> = {}) => write('BOOKMARK', {
    kind: def.kind, apiVersion: apiVersionOf(def),
    metadata: { resourceVersion: String(store.currentRV()), ...(Object.keys(extra).length ? { annotations: extra } : {}) },
  });
  let handle: { stop(): void } | undefined;
  const timers: NodeJS.Timeout[] = [];
  const end = () => { handle?.stop(); handle = undefined; for (const t of timers) clearTimeout(t); if (!res.writableEnded) res.end(); };
  res.on('close', end);
  try {
    const initial = w.sendInitialEvents;
    handle = watchObjects(store, def, ns, { ...w, resourceVersion: initial ? '0' : w.resourceVersion }, (e) => write(e.type, encode(e.object)));
    if (initial) bookmark({ 'k8s.io/initial-events-end': 'true' });
  } catch (e) {
    if (e instanceof ExpiredError) {
      write('ERROR', { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `too old resource version: ${e.requested} (${e.oldest})`, reason: 'Expired', code: 410 });
      end();
      return;
    }
    const se = e as { status?: unknown };
    write('ERROR', se.status ?? { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: String(e), code: 500 });
    end();
    return;
  }
  if (w.allowBookmarks) {
    const tick = () => { bookmark(); timers.push(setTimeout(tick, BOOKMARK_MS).unref()); };
    timers.push(setTimeout(tick, BOOKMARK_MS).unref());
  }
  if (w.timeoutSeconds && w.timeoutSeconds > 0) timers.push(setTimeout(end, w.timeoutSeconds * 1000).unref());
}
