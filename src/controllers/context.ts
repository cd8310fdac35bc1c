/** What the controllers of one cluster share: its view of the API and its batcher. */
import type { ClusterView } from '../client/view.js';
import type { Batcher } from './util/batch.js';

/** The per-cluster services handed to every controller. */
export interface ControllerContext {
  /** The cluster's shared, indexed view of the API. */
  view: ClusterView;
  /** The cluster's batcher of enqueues (controller groups wait for its pending batches). */
  batcher: Batcher;
}
