import type pg from 'pg';

export type Role = 'customer' | 'admin';

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  passwordHash: string;
}

interface UserRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  password_hash: string;
}

const toUser = (row: UserRow): User => ({
  id: row.id,
  email: row.email,
  name: row.name,
  role: row.role,
  passwordHash: row.password_hash,
});

/** Postgres' unique_violation, raised by `users_email_lower_key` when the address is taken. */
export function isEmailTaken(error: unknown): boolean {
  const pgError = error as { code?: string; constraint?: string };
  return pgError?.code === '23505' && pgError.constraint === 'users_email_lower_key';
}

/** Inserts a user; a taken address surfaces as a unique violation (see `isEmailTaken`). */
export async function insertUser(pool: pg.Pool, user: User): Promise<User> {
  const { rows } = await pool.query<UserRow>(
    `INSERT INTO users (id, email, name, password_hash, role) VALUES ($1, $2, $3, $4, $5)
     RETURNING id, email, name, role, password_hash`,
    [user.id, user.email, user.name, user.passwordHash, user.role],
  );
  return toUser(rows[0] as UserRow);
}

/** Looks a user up by e-mail, ignoring case (the unique index is on `lower(email)`). */
export async function findUserByEmail(pool: pg.Pool, email: string): Promise<User | undefined> {
  const { rows } = await pool.query<UserRow>(
    'SELECT id, email, name, role, password_hash FROM users WHERE lower(email) = lower($1)',
    [email],
  );
  return rows[0] ? toUser(rows[0]) : undefined;
}

export async function updatePasswordHash(pool: pg.Pool, id: string, passwordHash: string): Promise<void> {
  await pool.query('UPDATE users SET password_hash = $2 WHERE id = $1', [id, passwordHash]);
}

/**
 * Creates the admin if the address is free, or promotes the existing account to admin. The password
 * of an existing account is never overwritten, so an operator's change survives restarts.
 */
/** Creates the admin account unless its address is taken (by anyone: an existing account is never promoted). */
export async function insertAdminIfFree(pool: pg.Pool, admin: Omit<User, 'role'>): Promise<void> {
  await pool.query(
    `INSERT INTO users (id, email, name, password_hash, role) VALUES ($1, $2, $3, $4, 'admin')
     ON CONFLICT ((lower(email))) DO NOTHING`,
    [admin.id, admin.email, admin.name, admin.passwordHash],
  );
}
