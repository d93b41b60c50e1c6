import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import { AppError, ErrorCode, maskSecrets, toProblem, validate } from '../src/index';

test('an AppError becomes a problem with its status, code and message', () => {
  const problem = toProblem(new AppError(409, ErrorCode.Conflict, 'key reused'), 'abc');
  assert.equal(problem.status, 409);
  assert.equal(problem.type, 'https://confeitaria.dev/problems/conflict');
  assert.equal(problem.detail, 'key reused');
  assert.equal(problem.traceId, 'abc');
});

test('an unexpected error becomes a 500 that hides its message', () => {
  const problem = toProblem(new Error('password=hunter2 in SQL'));
  assert.equal(problem.status, 500);
  assert.doesNotMatch(problem.detail, /hunter2/);
});

test('a body-parser error keeps its 4xx status and is reported as a malformed body', () => {
  const parseError = Object.assign(new Error('Unexpected token } in JSON'), {
    status: 400,
    type: 'entity.parse.failed',
  });
  const problem = toProblem(parseError);
  assert.equal(problem.status, 400);
  assert.equal(problem.type, 'https://confeitaria.dev/problems/malformed-body');
});

test('toProblem never throws, whatever it is given', () => {
  for (const thrown of [undefined, null, 42, 'text', {}, { status: 'x' }, { status: 99 }, Symbol('s')]) {
    assert.equal(toProblem(thrown).status, 500);
  }
});

test('validation names the offending field', () => {
  const schema = z.object({ items: z.array(z.object({ quantity: z.number().int().min(1) })) });
  assert.throws(
    () => validate(schema, { items: [{ quantity: 0 }] }),
    (error: AppError) =>
      error.status === 400 &&
      error.errors?.[0]?.field === '/items/0/quantity' &&
      /items\/0\/quantity/.test(error.message),
  );
});

test('printed configuration masks passwords, in keys and in URLs', () => {
  const masked = maskSecrets({ DATABASE_URL: 'postgres://app:s3cret@db:5432/x', JWT_SECRET: 'k', PORT: 1 });
  assert.equal(masked.DATABASE_URL, 'postgres://app:****@db:5432/x');
  assert.equal(masked.JWT_SECRET, '****');
  assert.equal(masked.PORT, 1);
});
