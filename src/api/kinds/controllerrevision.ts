/** ControllerRevision (apps/v1): an immutable snapshot of a StatefulSet's or DaemonSet's pod template. */
import { Obj, Opt, Int64, Free, type Static } from '../schema.js';
import { kindProps, type KObject } from '../meta.js';
import type { ResourceDef } from '../resource.js';
import { field, type FieldError } from '../errors.js';
import { age, ageColumn, col, nameColumn } from '../printers/util.js';
import { nonNegative, semanticEqual } from './apps-common.js';

const A = 'io.k8s.api.apps.v1.';

export const ControllerRevisionSchema = Obj(A + 'ControllerRevision', 'An immutable snapshot of state data, used by controllers to roll back and roll forward.', kindProps({
  data: Opt(Free('The serialized state (for StatefulSets and DaemonSets: a strategic merge patch replacing spec.template).')),
  revision: Int64('The revision number this snapshot represents.'),
}), { required: ['revision'], 'x-kubernetes-group-version-kind': [{ group: 'apps', version: 'v1', kind: 'ControllerRevision' }] } as never);
export type ControllerRevision = Static<typeof ControllerRevisionSchema> & KObject;

/** ValidateControllerRevision (data is mandatory, revision non-negative). */
export function validateControllerRevision(cr: ControllerRevision): FieldError[] {
  const errs: FieldError[] = [];
  if (cr.data === undefined || cr.data === null) errs.push(field.required('data', 'data is mandatory'));
  errs.push(...nonNegative(cr.revision ?? 0, 'revision'));
  return errs;
}

/** The CONTROLLER cell: `<kind>.<group>/<name>` of the controller reference, or `<none>` (printControllerRevision). */
export function controllerCell(cr: KObject): string {
  const ref = cr.metadata.ownerReferences?.find((r) => r.controller);
  if (!ref) return '<none>';
  const slash = ref.apiVersion.indexOf('/');
  const group = slash >= 0 ? ref.apiVersion.slice(0, slash) : '';
  return `${ref.kind.toLowerCase()}${group ? '.' + group : ''}/${ref.name}`;
}

export const controllerRevisionDef: ResourceDef<ControllerRevision> = {
  group: 'apps', version: 'v1', kind: 'ControllerRevision', plural: 'controllerrevisions', singular: 'controllerrevision',
  namespaced: true, shortNames: [], categories: [],
  schema: ControllerRevisionSchema, statusSubresource: false, generation: false,
  validate: validateControllerRevision,
  validateUpdate: (cr, old) => [
    ...validateControllerRevision(cr),
    ...(semanticEqual(cr.data, old.data) ? [] : [field.invalid('data', '', 'field is immutable')]),
  ],
  columns: [
    nameColumn,
    col('Controller', 'string', 'Controller of the object.'),
    col('Revision', 'integer', 'Revision of the ControllerRevision.'),
    ageColumn,
  ],
  row: (cr, now) => [cr.metadata.name ?? '', controllerCell(cr), cr.revision ?? 0, age(cr.metadata.creationTimestamp, now)],
};
