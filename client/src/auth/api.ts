import { fail, type Ack, type LoginResult } from '@beacon/shared';

/**
 * The one way the client calls `/api/v1/*`: with `Authorization: Bearer <token>` whenever it has a token,
 * answering the server's `{ ok, data } | { ok: false, error }` (a network failure or a non-JSON answer
 * becomes UNAVAILABLE).
 */
export async function apiRequest<T>(
  path: `/api/v1/${string}`,
  { token, method = 'GET', body }: { token: string | null; method?: 'GET' | 'POST'; body?: unknown },
): Promise<Ack<T>> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (error) {
    return fail('UNAVAILABLE', error instanceof Error ? error.message : 'the server cannot be reached');
  }
  try {
    return (await res.json()) as Ack<T>;
  } catch {
    return fail('UNAVAILABLE', `HTTP ${res.status}`);
  }
}

/** Sign a person in: the session token and who they are, or the server's refusal (UNAUTHORIZED, RATE_LIMITED …). */
export function login(username: string, password: string): Promise<Ack<LoginResult>> {
  return apiRequest<LoginResult>('/api/v1/login', { token: null, method: 'POST', body: { username, password } });
}

/** End the session behind this token on the server. */
export function logout(token: string): Promise<Ack<Record<string, never>>> {
  return apiRequest('/api/v1/logout', { token, method: 'POST' });
}
