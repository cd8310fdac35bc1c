import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from './registry.js';
import type { ResourceDef } from './resource.js';
import { allKinds } from './kinds/index.js';

const def = (version: string, versionPriority: number): ResourceDef => ({ ...allKinds[0]!, group: 'example.com', version, kind: 'Widget', plural: 'widgets', custom: true, versionPriority });

describe('Registry (per cluster, changed at runtime)', () => {
  it('adds and removes definitions; the revision changes each time', () => {
    const r = new Registry(allKinds);
    const rev = r.revision;
    r.add([def('v1beta1', 2), def('v1', 3)]);
    assert.ok(r.revision > rev);
    assert.equal(r.lookup('example.com', 'v1', 'widgets')?.version, 'v1');
    assert.equal(r.forKind('example.com/v1beta1', 'Widget')?.version, 'v1beta1');
    assert.deepEqual(r.groups().find((g) => g.group === 'example.com')?.versions, ['v1', 'v1beta1']);
    r.remove((d) => d.group === 'example.com');
    assert.equal(r.lookup('example.com', 'v1', 'widgets'), undefined);
    assert.equal(r.groups().some((g) => g.group === 'example.com'), false);
    assert.equal(r.defs.length, allKinds.length);
  });
  it('two registries share nothing', () => {
    const a = new Registry(allKinds), b = new Registry(allKinds);
    a.add([def('v1', 3)]);
    assert.equal(b.lookup('example.com', 'v1', 'widgets'), undefined);
  });
});
