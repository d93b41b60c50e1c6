import { createStore } from './store';

const tokenKey = 'confeitaria.token';

/** The access token, kept for this tab only (sessionStorage); null when logged out. */
export const session = createStore<string | null>(sessionStorage.getItem(tokenKey));

export function logIn(token: string): void {
  sessionStorage.setItem(tokenKey, token);
  session.set(token);
}

export function logOut(): void {
  sessionStorage.removeItem(tokenKey);
  session.set(null);
}
