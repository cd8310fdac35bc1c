/** Streaming watch responses: newline-delimited JSON events, bookmarks, timeouts, 410 Expired and a bound on watchers that do not read. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KObject } from '../../api/meta.js';
import { apiVersionOf, type ResourceDef } from '../../api/resource.js';
import type { Store } from '../../store/types.js';
import { ExpiredError, watchObjects, type SelectOptions } from '../storage/read.js';
import { toTable, type IncludeObject } from './table.js';
import { WatchQueue } from './watch-buffer.js';
import { longTimer, watchTimeoutMs } from './watch-timeout.js';

/** Watch request options. */
export interface WatchRequest extends SelectOptions {
  resourceVersion?: string;
  /** The timeoutSeconds parameter as parseTimeoutSeconds reads it; absent: 30 to 60 minutes, as kube-apiserver. */
  timeoutSeconds?: bigint;
  allowBookmarks: boolean;
  sendInitialEvents: boolean;
  table?: IncludeObject;
}

/** How often a bookmark is sent on a quiet watch. */
const BOOKMARK_MS = 60_000;
/** How long a watch closed for not reading keeps its connection, so a client that resumes reads the clean end. */
export const STALLED_CLOSE_GRACE_MS = 60_000;

/** Serves a watch until the client leaves, the timeout passes or the client stops reading for too long. */
export function serveWatch(store: Store, def: ResourceDef, ns: string | undefined, w: WatchRequest, req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  res.flushHeaders();
  req.socket.setNoDelay(true);
  let handle: { stop(): void } | undefined;
  const timers: { cancel(): void }[] = [];
  const end = (): void => {
    handle?.stop();
    handle = undefined;
    queue.close();
    for (const t of timers) t.cancel();
    if (!res.writableEnded) res.end();
  };
  const queue = new WatchQueue(res, {
    onStall: () => {
      end();
      setTimeout(() => { if (!res.writableFinished) res.destroy(); }, STALLED_CLOSE_GRACE_MS).unref();
    },
  });
  res.on('close', end);
  const timeoutMs = watchTimeoutMs(w.timeoutSeconds);
  if (timeoutMs === 0) { end(); return; }
  const line = (type: string, object: unknown): string => JSON.stringify({ type, object }) + '\n';
  const write = (type: string, object: unknown): void => { const l = line(type, object); queue.push(() => l); };
  const encode = (o: KObject) => (w.table ? toTable(def, [o], w.table, { resourceVersion: o.metadata.resourceVersion }) : o);
  const bookmark = (extra: Record<string, string> = {}) => write('BOOKMARK', {
    kind: def.kind, apiVersion: apiVersionOf(def),
    metadata: { resourceVersion: String(store.currentRV()), ...(Object.keys(extra).length ? { annotations: extra } : {}) },
  });
  try {
    const initial = w.sendInitialEvents;
    // Objects are the store's frozen ones: a queued event is encoded only when the client can take it.
    handle = watchObjects(store, def, ns, { ...w, resourceVersion: initial ? '0' : w.resourceVersion }, (e) => queue.push(() => line(e.type, encode(e.object))));
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
    const tick = () => { bookmark(); timers.push(longTimer(BOOKMARK_MS, tick)); };
    timers.push(longTimer(BOOKMARK_MS, tick));
  }
  timers.push(longTimer(timeoutMs, end));
}
