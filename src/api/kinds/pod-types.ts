/** The Pod schema (core/v1) and its TypeScript type. */
import { Obj, Opt, type Static } from '../schema.js';
import { kindProps, type KObject } from '../meta.js';
import { PodSpecSchema } from './pod-spec.js';
import { PodStatusSchema } from './pod-status.js';

export const PodSchema = Obj('io.k8s.api.core.v1.Pod', 'A group of containers scheduled together onto one node.', kindProps({
  spec: Opt(PodSpecSchema),
  status: Opt(PodStatusSchema),
}), { 'x-kubernetes-group-version-kind': [{ group: '', version: 'v1', kind: 'Pod' }] });
export type Pod = Static<typeof PodSchema> & KObject;
