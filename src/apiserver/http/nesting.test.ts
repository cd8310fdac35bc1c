import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nestedDeeperThan, yamlNestingDeeperThan } from './nesting.js';

test('nestedDeeperThan counts array/object levels iteratively', () => {
  assert.equal(nestedDeeperThan({ a: [{ b: 1 }] }, 3), false);
  assert.equal(nestedDeeperThan({ a: [{ b: {} }] }, 3), true);
  assert.equal(nestedDeeperThan(JSON.parse('['.repeat(100_000) + ']'.repeat(100_000)), 500), true);
  assert.equal(nestedDeeperThan('x', 0), false);
});

test('yamlNestingDeeperThan: ordinary manifests pass', () => {
  const m = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a  # c\n  labels: {a: b}\ndata:\n  f: |\n    [[[[[[[[\n      {{{{{{\n  g: x\n---\nspec:\n  ports:\n  - port: 80\n    targetPort: [8080]\n';
  assert.equal(yamlNestingDeeperThan(m, 6), false);
});

test('yamlNestingDeeperThan: deep block, sequence and flow nesting is caught', () => {
  let block = '';
  for (let i = 0; i < 300; i++) block += `${' '.repeat(i)}a:\n`;
  assert.equal(yamlNestingDeeperThan(block, 200), true);
  assert.equal(yamlNestingDeeperThan(`${'- '.repeat(250)}1\n`, 200), true);
  assert.equal(yamlNestingDeeperThan(`x: ${'[{"a":'.repeat(150)}`, 200), true);
  assert.equal(yamlNestingDeeperThan(`x: "don't ${'['.repeat(250)}"`, 200), true);
});
