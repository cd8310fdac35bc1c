// Which Ingresses the controller serves (notes §1.3, `IN:.../store/store.go` GetIngressClass) and in which order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IngressClass } from '../../api/kinds/ingressclass.js';
import { classVerdict, compareIngresses } from './class.js';
import { ingress } from './testkit.js';

const classes: Record<string, IngressClass> = {
  nginx: { metadata: { name: 'nginx' }, spec: { controller: 'k8s.io/ingress-nginx' } },
  other: { metadata: { name: 'other' }, spec: { controller: 'example.com/other' } },
};
const opts = { controllerClass: 'k8s.io/ingress-nginx', ingressClass: 'nginx', watchWithoutClass: false };
const withClass = (name?: string, annotation?: string) =>
  ingress('i', { ...(name ? { ingressClassName: name } : {}) }, annotation ? { annotations: { 'kubernetes.io/ingress.class': annotation } } : {});

const cases: [string, ReturnType<typeof withClass>, boolean, string][] = [
  ['class of our controller', withClass('nginx'), false, 'served nginx'],
  ['class of another controller', withClass('other'), false, 'no object matching key "other" in local store'],
  ['unknown class', withClass('ghost'), false, 'no object matching key "ghost" in local store'],
  ['class name wins over the annotation', withClass('other', 'nginx'), false, 'no object matching key "other" in local store'],
  ['annotation only', withClass(undefined, 'nginx'), false, 'served nginx'],
  ['foreign annotation', withClass(undefined, 'traefik'), false, 'ingress class annotation is not equal to the expected by Ingress Controller'],
  ['no class', withClass(), false, 'ingress does not contain a valid IngressClass'],
  ['no class with --watch-ingress-without-class', withClass(), true, 'served _'],
  ['foreign annotation even with --watch-ingress-without-class', withClass(undefined, 'traefik'), true, 'ingress class annotation is not equal to the expected by Ingress Controller'],
];
for (const [name, ing, watchWithoutClass, want] of cases) {
  test(`class: ${name}`, () => {
    const v = classVerdict(ing, (n) => classes[n], { ...opts, watchWithoutClass });
    assert.equal(v.served ? `served ${v.className}` : v.error, want);
  });
}

test('order: oldest first; equal timestamps by namespace/name descending', () => {
  const list = [ingress('b', {}, { created: 20 }), ingress('a', {}, { created: 10 }), ingress('c', {}, { created: 10 }), ingress('z', {}, { created: 10, namespace: 'a' })];
  assert.deepEqual(list.sort(compareIngresses).map((i) => `${i.metadata.namespace}/${i.metadata.name}`), ['default/c', 'default/a', 'a/z', 'default/b']);
});
