import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, test } from 'node:test';
import { postgresUrl } from '@confeitaria/stack/components/postgres';
import pg from 'pg';
import { waitFor } from './support/wait';

const primary = new pg.Pool({ connectionString: postgresUrl('primary', 'orders'), max: 1 });
const replica = new pg.Pool({ connectionString: postgresUrl('replica', 'orders'), max: 1 });
after(() => Promise.all([primary.end(), replica.end()]));

test('a row written on the primary is readable on the streaming replica', async () => {
  await primary.query(
    'CREATE TABLE IF NOT EXISTS replication_probe (id uuid PRIMARY KEY, at timestamptz DEFAULT now())',
  );
  const id = randomUUID();
  await primary.query('INSERT INTO replication_probe (id) VALUES ($1)', [id]);
  const row = await waitFor('the row to reach the replica', async () => {
    const { rows } = await replica
      .query('SELECT id FROM replication_probe WHERE id = $1', [id])
      .catch(() => ({ rows: [] }));
    return rows[0];
  });
  assert.equal(row.id, id);
  const { rows } = await replica.query<{ in_recovery: boolean }>('SELECT pg_is_in_recovery() AS in_recovery');
  assert.equal(rows[0]?.in_recovery, true, 'the replica is a hot standby');
});

test('the replica refuses writes', async () => {
  await assert.rejects(replica.query('INSERT INTO replication_probe (id) VALUES ($1)', [randomUUID()]), /read-only/);
});
