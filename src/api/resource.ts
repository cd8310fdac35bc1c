/**
 * The description of one served resource: names, schema, defaulting, validation, table
 * printer and field selectors. Each kind file in src/api/kinds exports one `ResourceDef`;
 * src/api/registry.ts lists them. The API server is generic over these definitions.
 */
import type { TSchema } from './schema.js';
import type { FieldError } from './errors.js';
import type { KObject } from './meta.js';

/** A table column as in meta.k8s.io/v1 TableColumnDefinition. */
export interface ColumnDef {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format?: string;
  description: string;
  /** 0: always shown; 1: only with `-o wide`. */
  priority: 0 | 1;
}

/** One table cell value, as kube-apiserver's printers produce them. */
export type Cell = string | number | boolean | null;

/** What validation functions may read besides the object. */
export interface ValidationContext {
  operation: 'create' | 'update';
}

/** Server-side state a kind may keep consistent on writes (e.g. Service spec.clusterIP immutability). */
export interface ResourceDef<T extends KObject = KObject> {
  group: string;           // '' for the core group
  version: string;
  kind: string;
  plural: string;          // the resource name in URLs
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];    // ['all'] makes `kubectl get all` include it
  /** The kind's schema (with apiVersion, kind, metadata); its `$id` is the upstream definition name. */
  schema: TSchema;
  /** Has a /status subresource; the main resource then ignores status changes and vice versa. */
  statusSubresource: boolean;
  /** Has a /scale subresource: where replicas live and how the selector is rendered. */
  scale?: { specReplicas: (o: T) => number; setSpecReplicas: (o: T, n: number) => void; statusReplicas: (o: T) => number; selector: (o: T) => string };
  /** Other subresources served (pods: log, exec, attach, portforward, binding, eviction). */
  otherSubresources?: string[];
  /** Verbs served; defaults to all eight. */
  verbs?: string[];
  /** Bump metadata.generation when anything but metadata and status changes. */
  generation: boolean;
  /** Fill defaults in place (after schema defaults). Called on create and update. */
  default?(obj: T): void;
  /** Validate a new object; return every problem. Name/namespace/metadata are checked by the server. */
  validate?(obj: T, ctx: ValidationContext): FieldError[];
  /** Validate an update against the stored object (immutable fields etc.). */
  validateUpdate?(obj: T, old: T): FieldError[];
  /** Warnings a valid create returns to the client (strategy WarningsOnCreate), e.g. a deprecated annotation. */
  warningsOnCreate?(obj: T): string[];
  /** Reset fields the client may not set on create (status, etc.). */
  prepareForCreate?(obj: T): void;
  /** Keep fields the client may not change on update of the main resource. */
  prepareForUpdate?(obj: T, old: T): void;
  /** Server-side table printer: column definitions and a row function. */
  columns: ColumnDef[];
  row(obj: T, now: Date): Cell[];
  /** Field selectors beyond metadata.name/metadata.namespace. */
  fieldSelectors?: Record<string, (obj: T) => string | undefined>;
  /** Seconds of graceful deletion for this object (pods on a node); 0 or absent deletes at once. */
  deletionGracePeriod?(obj: T, requested: number | undefined): number;
  /** Adjusts an object being marked for deletion (e.g. namespace phase Terminating). */
  markDeleting?(obj: T): void;
  /** Finalizers a delete adds before marking the object (CRDs: the cleanup of their objects). */
  finalizersOnDelete?: string[];
  /** Served from a CustomResourceDefinition: decoded as unstructured JSON (no Go type errors), no strategic merge patch. */
  custom?: boolean;
  /** Removes fields the schema does not know and returns their paths (custom resources; built-ins use the schema walk). */
  pruneUnknown?(obj: T): string[];
  /** Presents a stored object in this version (custom resources with conversion None: only apiVersion changes). */
  convert?(obj: T): T;
  /** A `Warning` every request to this version carries (deprecated custom resource versions). */
  deprecationWarning?: string;
  /** Discovery order of versions within a group: higher first (Kubernetes version priority). */
  versionPriority?: number;
  /** Served in this version but stored in another definition's (autoscaling/v1 over v2): converts bodies in and objects out. */
  storedAs?: { def: ResourceDef; toStored(o: KObject): KObject; fromStored(o: KObject): KObject };
  /** Name validation: DNS-1123 subdomain (default), label, or path segment. */
  nameValidation?: 'subdomain' | 'label' | 'path-segment';
}

/** The `apiVersion` string of a definition: `v1` or `apps/v1`. */
export function apiVersionOf(def: Pick<ResourceDef, 'group' | 'version'>): string {
  return def.group ? `${def.group}/${def.version}` : def.version;
}
