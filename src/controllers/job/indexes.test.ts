import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatIndexes, parseIndexes } from './indexes.js';

test('completedIndexes intervals round-trip', () => {
  assert.equal(formatIndexes([]), '');
  assert.equal(formatIndexes([5, 1, 3, 4, 1]), '1,3-5');
  assert.deepEqual([...parseIndexes('1,3-5,9', 6)].sort(), [1, 3, 4, 5]);
  assert.deepEqual([...parseIndexes('x,2', 3)], [2]);
});
