/**
 * Well-known label and annotation keys the data plane and the controllers agree on, spelled as in
 * k8s.io/api (`discovery/v1/well_known_labels.go`, `core/v1/well_known_labels.go`,
 * `networking/v1/well_known_annotations.go`) and kube-proxy / kube-controller-manager.
 */

/** EndpointSlice label naming the Service a slice belongs to (discoveryv1.LabelServiceName). */
export const LABEL_SERVICE_NAME = 'kubernetes.io/service-name';
/** EndpointSlice label naming the controller or entity managing a slice (discoveryv1.LabelManagedBy). */
export const LABEL_MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';
/** Endpoints label: `true` keeps the mirroring controller from copying it into slices (discoveryv1.LabelSkipMirror). */
export const LABEL_SKIP_MIRROR = 'endpointslice.kubernetes.io/skip-mirror';
/** Label on slices and Endpoints of headless Services (v1.IsHeadlessService). */
export const LABEL_HEADLESS = 'service.kubernetes.io/headless';
/** Service label handing the Service to another proxy: kube-proxy (and knet's) skips it (v1.LabelServiceProxyName). */
export const LABEL_SERVICE_PROXY_NAME = 'service.kubernetes.io/service-proxy-name';
/** Label (1.33+) naming the controller that wrote an Endpoints object (the Endpoints controller's `LabelManagedBy`). */
export const LABEL_ENDPOINTS_MANAGED_BY = 'endpoints.kubernetes.io/managed-by';

/** Node label carrying its zone (v1.LabelTopologyZone). */
export const LABEL_TOPOLOGY_ZONE = 'topology.kubernetes.io/zone';
/** Node label carrying its host name (v1.LabelHostname). */
export const LABEL_HOSTNAME = 'kubernetes.io/hostname';
/** Node label carrying its operating system (v1.LabelOSStable). */
export const LABEL_OS = 'kubernetes.io/os';
/** Node label carrying its CPU architecture (v1.LabelArchStable). */
export const LABEL_ARCH = 'kubernetes.io/arch';
/** Node label marking a control-plane node (kubeadm's `node-role.kubernetes.io/control-plane`). */
export const LABEL_NODE_ROLE_CONTROL_PLANE = 'node-role.kubernetes.io/control-plane';
/** Node label keeping a node out of external load balancers (v1.LabelNodeExcludeBalancers). */
export const LABEL_EXCLUDE_FROM_EXTERNAL_LB = 'node.kubernetes.io/exclude-from-external-load-balancers';

/** Namespace label holding the namespace's own name, set by the API server (v1.LabelMetadataName). */
export const LABEL_METADATA_NAME = 'kubernetes.io/metadata.name';

/** Deprecated Ingress annotation naming its class; `spec.ingressClassName` replaces it (networkingv1beta1.AnnotationIngressClass). */
export const ANNOTATION_INGRESS_CLASS = 'kubernetes.io/ingress.class';
/** IngressClass annotation: `true` makes it the default class (networkingv1.AnnotationIsDefaultIngressClass). */
export const ANNOTATION_IS_DEFAULT_INGRESS_CLASS = 'ingressclass.kubernetes.io/is-default-class';

/** Annotation on Endpoints and EndpointSlices: when the change that caused the last write happened (v1.EndpointsLastChangeTriggerTime). */
export const ANNOTATION_ENDPOINTS_TRIGGER_TIME = 'endpoints.kubernetes.io/last-change-trigger-time';
/** Annotation on Endpoints truncated to 1000 addresses (v1.EndpointsOverCapacity). */
export const ANNOTATION_ENDPOINTS_OVER_CAPACITY = 'endpoints.kubernetes.io/over-capacity';
/** Annotation of leader-election records kept in Endpoints objects, which endpoint controllers leave alone (resourcelock.LeaderElectionRecordAnnotationKey). */
export const ANNOTATION_LEADER = 'control-plane.alpha.kubernetes.io/leader';
