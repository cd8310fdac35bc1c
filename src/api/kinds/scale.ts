/** Scale (autoscaling/v1): the body of the /scale subresource of Deployments and ReplicaSets. */
import { Obj, Opt, Str, Int32, type Static } from '../schema.js';
import { kindProps, type KObject } from '../meta.js';

const A = 'io.k8s.api.autoscaling.v1.';

export const ScaleSpecSchema = Obj(A + 'ScaleSpec', 'The desired scale of a resource.', {
  replicas: Opt(Int32('Desired number of instances.')),
});

export const ScaleStatusSchema = Obj(A + 'ScaleStatus', 'The observed scale of a resource.', {
  replicas: Int32('Observed number of instances.'),
  selector: Opt(Str('Label selector of the instances, in the string form used by ?labelSelector=.')),
});

export const ScaleSchema = Obj(A + 'Scale', 'The desired and observed replica count of a scalable resource.', kindProps({
  spec: Opt(ScaleSpecSchema),
  status: Opt(ScaleStatusSchema),
}), { 'x-kubernetes-group-version-kind': [{ group: 'autoscaling', version: 'v1', kind: 'Scale' }] });
export type Scale = Static<typeof ScaleSchema> & KObject;
