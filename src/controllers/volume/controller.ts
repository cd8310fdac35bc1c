/**
 * The PersistentVolume controller (kube-controller-manager's persistentvolume-binder plus the
 * pvc- and pv-protection controllers) with a built-in provisioner: binds claims to matching
 * volumes, provisions `pvc-<uid>` volumes for classes knet serves (at once for Immediate, after the
 * scheduler picks a node for WaitForFirstConsumer), keeps phases, releases and reclaims volumes
 * whose claim is gone, and lifts the protection finalizers once nothing uses the object.
 */
import type { PersistentVolume } from '../../api/kinds/pv.js';
import type { PersistentVolumeClaim } from '../../api/kinds/pvc.js';
import type { KObject } from '../../api/meta.js';
import * as S from '../../api/kinds/storage-common.js';
import type { Client } from '../../client/client.js';
import { keyOf, splitKey } from '../../client/informer.js';
import { WorkQueue } from '../../client/workqueue.js';
import { rfc3339 } from '../../apiserver/storage/meta.js';
import { EventRecorder } from '../events.js';
import type { ControllerContext } from '../context.js';
import { errorText } from '../util/errors.js';
import { claimRefMatches, findMatchingVolume, podClaimNames, podUsesVolumes } from './matching.js';
import { KNET_PROVISIONERS, provisionedVolumeName, provisionVolume } from './provision.js';
import type { VolumeStore } from './store.js';

const PVC = { resource: 'persistentvolumeclaims' };
const PV = { resource: 'persistentvolumes' };

/** A running volume controller. */
export interface VolumeController { stop(): void; queue: WorkQueue; recorder: EventRecorder }

/** Starts the controller; `store` holds the cluster's volume data, dropped when a volume object goes. */
export function startVolumeController(client: Client, ctx: ControllerContext, store: VolumeStore): VolumeController {
  const { view } = ctx;
  const recorder = new EventRecorder(client, 'persistentvolume-controller');
  const queue: WorkQueue = new WorkQueue((key) => (key.startsWith('v:') ? syncVolume(key.slice(2)) : syncClaim(key.slice(2))), 2);
  const claim = (ns: string | undefined, name: string | undefined) => { if (ns && name) queue.add(`c:${ns}/${name}`); };
  const volume = (name: string | undefined) => { if (name) queue.add(`v:${name}`); };
  const offs = [
    view.claims.subscribe({ add: (o) => queue.add(`c:${keyOf(o)}`), update: (_, o) => queue.add(`c:${keyOf(o)}`), delete: (o) => volume(o.spec?.volumeName) }),
    view.volumes.subscribe({
      add: (o) => { volume(o.metadata.name); claim(o.spec?.claimRef?.namespace, o.spec?.claimRef?.name); },
      update: (_, o) => { volume(o.metadata.name); claim(o.spec?.claimRef?.namespace, o.spec?.claimRef?.name); },
      delete: (o) => { store.release(o.metadata.uid ?? ''); claim(o.spec?.claimRef?.namespace, o.spec?.claimRef?.name); },
    }),
    view.pods.subscribe({ update: (_, p) => podClaimNames(p).forEach((n) => claim(p.metadata.namespace, n)), delete: (p) => podClaimNames(p).forEach((n) => claim(p.metadata.namespace, n)) }),
    view.storageClasses.subscribe({ add: () => { for (const c of view.claims.list()) if (!c.spec?.volumeName) queue.add(`c:${keyOf(c)}`); } }),
  ];

  async function syncClaim(key: string): Promise<void> {
    const [ns, name] = splitKey(key);
    const pvc = view.claims.get(ns, name);
    if (!pvc) return;
    if (pvc.metadata.deletionTimestamp) return unprotectClaim(pvc);
    if (pvc.spec?.volumeName) return syncBoundClaim(pvc, pvc.spec.volumeName);
    const cls = S.claimClass(pvc);
    const sc = cls ? view.storageClasses.get('', cls) : undefined;
    if (sc?.volumeBindingMode === 'WaitForFirstConsumer' && !pvc.metadata.annotations?.[S.ANNOTATION_SELECTED_NODE]) {
      recorder.event(pvc, 'Normal', 'WaitForFirstConsumer', 'waiting for first consumer to be created before binding');
      return;
    }
    const pv = findMatchingVolume(pvc, view.volumes.list());
    if (pv) return bind(pv, pvc);
    if (!cls) {
      recorder.event(pvc, 'Normal', 'FailedBinding', 'no persistent volumes available for this claim and no storage class is set');
      return;
    }
    if (!sc) {
      recorder.event(pvc, 'Warning', 'ProvisioningFailed', `storageclass.storage.k8s.io "${cls}" not found`);
      return;
    }
    await annotateProvisioner(pvc, sc.provisioner);
    if (!KNET_PROVISIONERS.has(sc.provisioner)) {
      recorder.event(pvc, 'Normal', 'ExternalProvisioning', `Waiting for a volume to be created either by the external provisioner '${sc.provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`);
      return;
    }
    if (view.volumes.get('', provisionedVolumeName(pvc))) return;
    const provisioner = new EventRecorder(client, `${sc.provisioner}_knet-provisioner`);
    provisioner.event(pvc, 'Normal', 'Provisioning', `External provisioner is provisioning volume for claim "${ns}/${name}"`);
    try {
      await client.create(PV, provisionVolume(pvc, sc, pvc.metadata.annotations?.[S.ANNOTATION_SELECTED_NODE]));
    } catch (e) {
      if ((e as { code?: number }).code === 409) return;
      provisioner.event(pvc, 'Warning', 'ProvisioningFailed', `failed to provision volume with StorageClass "${cls}": ${errorText(e)}`);
      throw e;
    }
    provisioner.event(pvc, 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${provisionedVolumeName(pvc)}`);
    await provisioner.idle();
  }

  async function syncBoundClaim(pvc: PersistentVolumeClaim, volumeName: string): Promise<void> {
    const pv = view.volumes.get('', volumeName);
    if (!pv) {
      if (pvc.status?.phase === 'Bound') {
        await setClaimStatus(pvc, { phase: 'Lost' });
        recorder.event(pvc, 'Warning', 'ClaimLost', 'Bound claim has lost its PersistentVolume. Data on the volume is lost!');
      }
      return;
    }
    if (pv.spec?.claimRef && !claimRefMatches(pv, pvc)) {
      recorder.event(pvc, 'Warning', 'FailedBinding', `volume "${volumeName}" already bound to a different claim.`);
      return;
    }
    return bind(pv, pvc);
  }

  /** Points volume and claim at each other, then sets both phases Bound (bind() in pv_controller.go). */
  async function bind(pv: PersistentVolume, pvc: PersistentVolumeClaim): Promise<void> {
    const byController = !pvc.spec?.volumeName;
    if (pv.spec?.claimRef?.uid !== pvc.metadata.uid) {
      const fresh = client.get(PV, '', pv.metadata.name!) as PersistentVolume | undefined;
      if (!fresh) return;
      if (!fresh.spec?.claimRef) fresh.metadata.annotations = { ...fresh.metadata.annotations, [S.ANNOTATION_BOUND_BY_CONTROLLER]: 'yes' };
      fresh.spec = { ...fresh.spec, claimRef: { kind: 'PersistentVolumeClaim', namespace: pvc.metadata.namespace, name: pvc.metadata.name, uid: pvc.metadata.uid, apiVersion: 'v1', resourceVersion: pvc.metadata.resourceVersion } };
      pv = await client.update(PV, fresh) as PersistentVolume;
    }
    if (pv.status?.phase !== 'Bound') await setVolumePhase(pv, 'Bound');
    const anns = pvc.metadata.annotations ?? {};
    if (pvc.spec?.volumeName !== pv.metadata.name || anns[S.ANNOTATION_BIND_COMPLETED] !== 'yes') {
      const fresh = client.get(PVC, pvc.metadata.namespace!, pvc.metadata.name!) as PersistentVolumeClaim | undefined;
      if (!fresh) return;
      fresh.spec = { ...fresh.spec, volumeName: pv.metadata.name };
      fresh.metadata.annotations = { ...fresh.metadata.annotations, [S.ANNOTATION_BIND_COMPLETED]: 'yes', ...(byController ? { [S.ANNOTATION_BOUND_BY_CONTROLLER]: 'yes' } : {}) };
      pvc = await client.update(PVC, fresh) as PersistentVolumeClaim;
    }
    const status = { phase: 'Bound', accessModes: pv.spec?.accessModes ?? [], capacity: pv.spec?.capacity ?? {} };
    if (pvc.status?.phase !== 'Bound' || JSON.stringify(pvc.status.capacity) !== JSON.stringify(status.capacity)) await setClaimStatus(pvc, status);
  }

  async function syncVolume(name: string): Promise<void> {
    const pv = view.volumes.get('', name);
    if (!pv) return;
    const ref = pv.spec?.claimRef;
    const pvc = ref?.uid ? view.claims.get(ref.namespace ?? '', ref.name ?? '') : undefined;
    const claimGone = !!ref?.uid && (!pvc || pvc.metadata.uid !== ref.uid);
    if (pv.metadata.deletionTimestamp) {
      if (pv.status?.phase !== 'Bound' || claimGone) await dropFinalizer(PV, pv, S.FINALIZER_PV_PROTECTION);
      return;
    }
    if (!ref?.uid) { if (pv.status?.phase !== 'Available') await setVolumePhase(pv, 'Available'); return; }
    if (!claimGone) {
      if (pvc?.spec?.volumeName === name && pv.status?.phase !== 'Bound') await setVolumePhase(pv, 'Bound');
      return;
    }
    if (pv.status?.phase !== 'Released' && pv.status?.phase !== 'Failed') await setVolumePhase(pv, 'Released');
    const policy = pv.spec?.persistentVolumeReclaimPolicy ?? 'Retain';
    if (policy === 'Delete') {
      try { await client.delete(PV, '', name, { preconditions: { uid: pv.metadata.uid } }); } catch (e) { if ((e as { code?: number }).code !== 404) throw e; }
    } else if (policy === 'Recycle') {
      const fresh = client.get(PV, '', name) as PersistentVolume | undefined;
      if (fresh) await client.update(PV, { ...fresh, status: { ...fresh.status, phase: 'Failed', message: 'Recycle is not supported by knet' } }, 'status');
      recorder.event(pv, 'Warning', 'VolumeFailedRecycle', 'Recycle is not supported by knet');
    }
  }

  /** The pvc-protection controller: a claim being deleted keeps its finalizer while a running pod uses it. */
  async function unprotectClaim(pvc: PersistentVolumeClaim): Promise<void> {
    const inUse = view.pods.list(pvc.metadata.namespace).some((p) => podUsesVolumes(p) && podClaimNames(p).includes(pvc.metadata.name ?? ''));
    if (!inUse) await dropFinalizer(PVC, pvc, S.FINALIZER_PVC_PROTECTION);
  }

  async function dropFinalizer(ref: typeof PV | typeof PVC, o: KObject, finalizer: string): Promise<void> {
    if (!o.metadata.finalizers?.includes(finalizer)) return;
    const fresh = client.get(ref, o.metadata.namespace ?? '', o.metadata.name!);
    if (!fresh || fresh.metadata.uid !== o.metadata.uid) return;
    fresh.metadata.finalizers = (fresh.metadata.finalizers ?? []).filter((f) => f !== finalizer);
    await client.update(ref, fresh);
  }

  async function annotateProvisioner(pvc: PersistentVolumeClaim, provisioner: string): Promise<void> {
    if (pvc.metadata.annotations?.[S.ANNOTATION_STORAGE_PROVISIONER] === provisioner) return;
    const fresh = client.get(PVC, pvc.metadata.namespace!, pvc.metadata.name!);
    if (!fresh) return;
    fresh.metadata.annotations = { ...fresh.metadata.annotations, [S.ANNOTATION_BETA_STORAGE_PROVISIONER]: provisioner, [S.ANNOTATION_STORAGE_PROVISIONER]: provisioner };
    await client.update(PVC, fresh);
  }

  async function setVolumePhase(pv: PersistentVolume, phase: string): Promise<void> {
    const fresh = client.get(PV, '', pv.metadata.name!) as PersistentVolume | undefined;
    if (!fresh) return;
    await client.update(PV, { ...fresh, status: { phase, lastPhaseTransitionTime: rfc3339(new Date()) } }, 'status');
  }

  async function setClaimStatus(pvc: PersistentVolumeClaim, status: NonNullable<PersistentVolumeClaim['status']>): Promise<void> {
    const fresh = client.get(PVC, pvc.metadata.namespace!, pvc.metadata.name!) as PersistentVolumeClaim | undefined;
    if (!fresh) return;
    await client.update(PVC, { ...fresh, status: { ...fresh.status, ...status } }, 'status');
  }

  return { stop: () => { for (const off of offs) off(); queue.stop(); }, queue, recorder };
}
