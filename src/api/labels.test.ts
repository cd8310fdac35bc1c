import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  parseLabelSelectorString, requirementsMatch, selectorMatches, selectorString, formatSelector,
  validateLabelSelector, requirementString, selectorValue,
} from './labels.js';
import { formatFieldError } from './errors.js';

const parse = (s: string) => parseLabelSelectorString(s).map(requirementString).join(',');
const matches = (s: string, labels: Record<string, string>) => requirementsMatch(parseLabelSelectorString(s), labels);

test('parses every operator and sorts by key', () => {
  assert.equal(parse('x in (foo,,baz),y,z notin ()'), 'x in (,baz,foo),y,z notin ()');
  assert.equal(parse('b=1,a==2,c!=3'), 'a==2,b=1,c!=3');
  assert.equal(parse('!env, tier'), '!env,tier');
  assert.equal(parse('app = web'), 'app=web');
  assert.equal(parse('a=,b'), 'a=,b');
  assert.equal(parse('n>5,m<7'), 'm<7,n>5');
  assert.equal(parse(''), '');
  assert.equal(parse('x in (in,notin)'), 'x in (in,notin)');
  assert.equal(parse('app.kubernetes.io/name=web'), 'app.kubernetes.io/name=web');
});

test('parse errors carry Kubernetes messages', () => {
  const err = (s: string) => { try { parseLabelSelectorString(s); } catch (e) { return (e as Error).message; } return 'no error'; };
  assert.equal(err('a b'), "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt");
  assert.equal(err('a=b c'), "found 'c', expected: ',' or 'end of string'");
  assert.equal(err('a,'), "found '', expected: identifier after ','");
  assert.equal(err('=a'), "found '=', expected: !, identifier, or 'end of string'");
  assert.equal(err('x in a'), "unable to parse requirement: found 'a' expected: '('");
  assert.equal(err('x in (a b)'), "unable to parse requirement: found 'b', expected: ',' or ')'");
  assert.equal(err('!a=b'), "found '=', expected: ',' or 'end of string'");
  assert.equal(err('a=(b'), "unable to parse requirement: found '(', expected: identifier");
  assert.equal(err('n>x'), "unable to parse requirement: values[0]: Invalid value: \"x\": for 'Gt', 'Lt' operators, the value must be an integer");
  assert.match(err('A@=b'), /^unable to parse requirement: <nil>: Invalid value: "A@": name part must consist of alphanumeric characters/);
  assert.match(err('app=a@b'), /^unable to parse requirement: values\[0\]\[app\]: Invalid value: "a@b": a valid label must be an empty string/);
});

test('matching follows Requirement.Matches', () => {
  const l = { app: 'web', tier: 'front', n: '10' };
  assert.ok(matches('app=web', l));
  assert.ok(!matches('app=db', l));
  assert.ok(matches('app!=db', l));
  assert.ok(matches('missing!=x', l));
  assert.ok(matches('app in (web,db)', l));
  assert.ok(!matches('app notin (web)', l));
  assert.ok(matches('missing notin (web)', l));
  assert.ok(matches('tier,!missing', l));
  assert.ok(!matches('!tier', l));
  assert.ok(matches('n>9,n<11', l));
  assert.ok(!matches('app>1', l));
  assert.ok(matches('', {}));
});

test('LabelSelector objects: nil selects nothing, empty selects everything', () => {
  assert.equal(selectorMatches(undefined, { a: 'b' }), false);
  assert.equal(selectorMatches({}, { a: 'b' }), true);
  const sel = { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'dev'] }, { key: 'beta', operator: 'DoesNotExist' }] };
  assert.ok(selectorMatches(sel, { app: 'web', env: 'dev' }));
  assert.ok(!selectorMatches(sel, { app: 'web', env: 'dev', beta: '1' }));
  assert.ok(!selectorMatches(sel, { app: 'web' }));
  assert.equal(selectorString(sel), 'app=web,!beta,env in (dev,prod)');
  assert.equal(formatSelector({}), '<none>');
  assert.equal(formatSelector(undefined), '<none>');
  assert.equal(selectorString({ matchLabels: { b: '2', a: '1' } }), 'a=1,b=2');
});

test('validateLabelSelector reports metav1 messages', () => {
  const errs = validateLabelSelector({
    matchLabels: { 'bad key!': 'v' },
    matchExpressions: [
      { key: 'a', operator: 'In' },
      { key: 'b', operator: 'Exists', values: ['x'] },
      { key: 'c', operator: 'Foo' },
    ],
  }, 'spec.selector').map(formatFieldError);
  assert.match(errs[0] ?? '', /^spec\.selector\.matchLabels: Invalid value: "bad key!": name part must consist/);
  assert.deepEqual(errs.slice(1), [
    "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
    "spec.selector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
    'spec.selector.matchExpressions[2].operator: Invalid value: "Foo": not a valid selector operator',
  ]);
  assert.deepEqual(validateLabelSelector({ matchLabels: { app: 'web' } }, 'x'), []);
});

test('selectorValue renders the Go struct', () => {
  assert.equal(selectorValue({ matchLabels: { b: '2', a: '1' } }).goRepr,
    'v1.LabelSelector{MatchLabels:map[string]string{"a":"1", "b":"2"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}');
  assert.equal(selectorValue({ matchExpressions: [{ key: 'k', operator: 'In', values: ['v'] }] }).goRepr,
    'v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"k", Operator:"In", Values:[]string{"v"}}}}');
});
