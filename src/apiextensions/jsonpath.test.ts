import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { evalJSONPath, parseJSONPath } from './jsonpath.js';

const obj = { spec: { hosts: ['a', 'b'], replicas: 2, 'odd.key': 'v' }, status: { conditions: [{ type: 'Ready', status: 'True' }, { type: 'Synced', status: 'False' }] } };

describe('printer column JSONPath', () => {
  const cases: [string, unknown[]][] = [
    ['.spec.replicas', [2]],
    ['.spec.hosts', [['a', 'b']]],
    ['.spec.hosts[1]', ['b']],
    ['.spec.hosts[*]', ['a', 'b']],
    [".spec['odd.key']", ['v']],
    ['.status.conditions[?(@.type=="Ready")].status', ['True']],
    ['.status.conditions[?(@.type!="Ready")].type', ['Synced']],
    ['.status.missing', []],
  ];
  for (const [path, want] of cases) it(path, () => assert.deepEqual(evalJSONPath(parseJSONPath(path), obj), want));
});
