// Unit tests: $(VAR) expansion and docker-link style service variables.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expand } from './env.js';

test('$(VAR) expands known variables, $$ escapes, unknown references stay', () => {
  const vars = { A: 'x', B_C: 'y' };
  assert.equal(expand('$(A)-$(B_C)', vars), 'x-y');
  assert.equal(expand('$$(A)', vars), '$(A)');
  assert.equal(expand('$(MISSING)', vars), '$(MISSING)');
});
