import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { io as connect } from 'socket.io-client';
import {
  COMMAND_ROLES,
  OPS_NAMESPACE,
  hasRole,
  type Ack,
  type Incident,
  type OpsCommandName,
  type Role,
} from '@beacon/shared';
import { manualClock, startTestStack, type OpsSocket, type TestStack } from '../helpers/stack.ts';

const T0 = Date.parse('2026-11-25T10:00:00+08:00');
const DAFANG = { lon: 105.606, lat: 27.147 }; // 大方县 520521
const WEINING = { lon: 104.284, lat: 26.863 }; // 威宁县 520526

function data<T>(ack: Ack<T>): T {
  if (!ack.ok) throw new Error(`${ack.error.code}: ${ack.error.message}`);
  return ack.data;
}

/** Connect to /ops with this handshake and say whether the server let it in, or why not. */
function tryConnect(
  baseUrl: string,
  auth: Record<string, string>,
): Promise<{ ok: true } | { ok: false; code: string }> {
  return new Promise((resolve) => {
    const socket = connect(`${baseUrl}${OPS_NAMESPACE}`, {
      auth,
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    socket.once('connect', () => {
      socket.disconnect();
      resolve({ ok: true });
    });
    socket.once('connect_error', (error: Error & { data?: { code?: string } }) => {
      socket.disconnect();
      resolve({ ok: false, code: error.data?.code ?? error.message });
    });
  });
}

describe('who may see and do what', () => {
  let stack: TestStack;
  const clock = manualClock(T0);

  beforeEach(async () => {
    clock.set(T0);
    stack = await startTestStack({ clock });
  });
  afterEach(async () => {
    await stack.stop();
  });

  it('lets no one on /ops without a valid session, display token or patrol device key', async () => {
    expect(await tryConnect(stack.baseUrl, {})).toEqual({ ok: false, code: 'UNAUTHORIZED' });
    expect(await tryConnect(stack.baseUrl, { token: 'forged' })).toEqual({ ok: false, code: 'UNAUTHORIZED' });
    const cameraKey = await stack.provisionDevice('cam-1', 'camera');
    expect(await tryConnect(stack.baseUrl, { deviceId: 'cam-1', key: cameraKey })).toEqual({
      ok: false,
      code: 'UNAUTHORIZED',
    });
    const patrolKey = await stack.provisionDevice('car-1', 'patrol', { unitId: 'P-01' });
    expect(await tryConnect(stack.baseUrl, { deviceId: 'car-1', key: patrolKey })).toEqual({ ok: true });
    expect(await tryConnect(stack.baseUrl, { token: await stack.token({ role: 'viewer' }) })).toEqual({ ok: true });
  });

  it('refuses every command above a role with FORBIDDEN, and counts each refusal', async () => {
    for (const role of ['viewer', 'dispatcher', 'supervisor'] as Role[]) {
      const socket = await stack.opsSocket({ role });
      for (const [event, needed] of Object.entries(COMMAND_ROLES) as [OpsCommandName, Role][]) {
        if (hasRole(role, needed)) continue;
        const reply = await (socket.emitWithAck as (e: string, p: unknown) => Promise<Ack<unknown>>)(event, {});
        expect(reply, `${role} → ${event}`).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      }
    }
    const viewer = await stack.opsSocket({ role: 'viewer' });
    expect((await viewer.emitWithAck('situation:snapshot', {})).ok).toBe(true);
    const stats = (await (
      await fetch(`${stack.baseUrl}/api/v1/stats`, { headers: await stack.authHeaders() })
    ).json()) as {
      data: { rejected: Record<string, number> };
    };
    const expected = (['viewer', 'dispatcher', 'supervisor'] as Role[])
      .map((role) => Object.values(COMMAND_ROLES).filter((needed) => !hasRole(role, needed)).length)
      .reduce((a, b) => a + b, 0);
    expect(expected).toBeGreaterThan(10);
    expect(stats.data.rejected.FORBIDDEN).toBe(expected);
  });

  it('shows a county center only its county, and refuses acting outside it', async () => {
    const city = await stack.opsSocket({ role: 'dispatcher', jurisdiction: '520500' });
    const dafang = await stack.opsSocket({ role: 'dispatcher', jurisdiction: '520521' });
    const seenByDafang: Incident[] = [];
    const seenByCity: Incident[] = [];
    dafang.on('incident:created', (i) => seenByDafang.push(i));
    city.on('incident:created', (i) => seenByCity.push(i));

    const inDafang = data(await city.emitWithAck('incident:create', { type: 'traffic_accident', ...DAFANG })).incident;
    const inWeining = data(
      await city.emitWithAck('incident:create', { type: 'traffic_accident', ...WEINING }),
    ).incident;
    expect([inDafang.jurisdiction, inWeining.jurisdiction]).toEqual(['520521', '520526']);
    await data(await city.emitWithAck('situation:snapshot', {}));
    await data(await dafang.emitWithAck('situation:snapshot', {}));
    expect(seenByCity.map((i) => i.id)).toEqual([inDafang.id, inWeining.id]);
    expect(seenByDafang.map((i) => i.id)).toEqual([inDafang.id]);

    const snapshot = data(await dafang.emitWithAck('situation:snapshot', {}));
    expect(snapshot.incidents.map((i) => i.id)).toEqual([inDafang.id]);

    const outside = { incidentId: inWeining.id };
    expect(await dafang.emitWithAck('incident:transition', { ...outside, to: 'assessed' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: expect.stringContaining('outside your jurisdiction') },
    });
    expect(await dafang.emitWithAck('incident:timeline', outside)).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await dafang.emitWithAck('dispatch:recommend', outside)).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await dafang.emitWithAck('incident:create', { type: 'road_hazard', ...WEINING })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect((await dafang.emitWithAck('incident:transition', { incidentId: inDafang.id, to: 'assessed' })).ok).toBe(
      true,
    );
  });

  it('logs in with a password, rate-limits guessing, and ends sessions on logout or when the account is disabled', async () => {
    await stack.app.access.addUser(
      { username: 'wang', password: 'a-long-password', role: 'supervisor', jurisdiction: '520500' },
      clock.now(),
    );
    const login = (password: string) =>
      fetch(`${stack.baseUrl}/api/v1/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'wang', password }),
      });
    const good = await login('a-long-password');
    expect(good.status).toBe(200);
    const { data: session } = (await good.json()) as {
      data: { token: string; session: { role: string; actor: string } };
    };
    expect(session.session).toMatchObject({ role: 'supervisor', actor: 'user:wang' });
    const bearer = { authorization: `Bearer ${session.token}` };
    expect((await fetch(`${stack.baseUrl}/api/v1/snapshot`)).status).toBe(401);
    expect((await fetch(`${stack.baseUrl}/api/v1/snapshot`, { headers: bearer })).status).toBe(200);

    // The audit (supervisors only) has the login; the CSV opens in Excel with Chinese intact.
    const dispatcherHeaders = await stack.authHeaders({ role: 'dispatcher' });
    expect((await fetch(`${stack.baseUrl}/api/v1/audit`, { headers: dispatcherHeaders })).status).toBe(403);
    const audit = (await (await fetch(`${stack.baseUrl}/api/v1/audit`, { headers: bearer })).json()) as {
      data: { action: string; actor: string }[];
    };
    expect(audit.data[0]).toMatchObject({ action: 'auth:login', actor: 'user:wang' });
    const csv = await fetch(`${stack.baseUrl}/api/v1/audit.csv`, { headers: bearer });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const bytes = Buffer.from(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.subarray(3).toString('utf8').startsWith('id,at,actor,action,details')).toBe(true);

    await stack.app.access.setDisabled('wang', true);
    expect((await fetch(`${stack.baseUrl}/api/v1/snapshot`, { headers: bearer })).status).toBe(401);
    await stack.app.access.setDisabled('wang', false);
    expect((await fetch(`${stack.baseUrl}/api/v1/logout`, { method: 'POST', headers: bearer })).status).toBe(200);
    expect((await fetch(`${stack.baseUrl}/api/v1/snapshot`, { headers: bearer })).status).toBe(401);

    for (let i = 0; i < 10; i += 1) expect((await login('wrong')).status).toBe(401);
    const locked = await login('a-long-password');
    expect(locked.status).toBe(429);
    expect(await locked.json()).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
  });

  it('runs a wall on a read-only display token that can be revoked', async () => {
    const { token } = await stack.app.access.addDisplay('hall-1', '520500');
    const wall = await stack.opsSocket();
    void wall;
    expect(await tryConnect(stack.baseUrl, { token })).toEqual({ ok: true });
    const headers = { authorization: `Bearer ${token}` };
    const session = (await (await fetch(`${stack.baseUrl}/api/v1/session`, { headers })).json()) as {
      data: { role: string; kind: string; expiresAt: null };
    };
    expect(session.data).toMatchObject({ role: 'viewer', kind: 'display', expiresAt: null });
    await stack.app.access.revokeDisplay('hall-1');
    expect(await tryConnect(stack.baseUrl, { token })).toEqual({ ok: false, code: 'UNAUTHORIZED' });
  });

  it('cuts live screens at once when their session ends: logout, revoked display, disabled account', async () => {
    const { token } = await stack.app.access.addDisplay('hall-2', '520500');
    const ended = (socket: OpsSocket) => new Promise<void>((resolve) => socket.once('disconnect', () => resolve()));
    const wall = await stack.connectOps({ token });
    const wallGone = ended(wall);
    await stack.app.access.revokeDisplay('hall-2');
    await wallGone;

    const dispatcher = await stack.opsSocket({ role: 'dispatcher' });
    const goneToo = ended(dispatcher);
    await stack.app.access.setDisabled('test-dispatcher-520500', true);
    await goneToo;
  });

  it('sends security headers on every answer', async () => {
    const res = await fetch(`${stack.baseUrl}/healthz`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('x-powered-by')).toBeNull();
    // No foreign origin unless configured (an intranet basemap for the wall).
    expect(res.headers.get('content-security-policy')).not.toContain('tiles.intranet');
    const withTiles = await startTestStack({ config: { tileOrigins: 'http://tiles.intranet:8081' } });
    try {
      const csp = (await fetch(`${withTiles.baseUrl}/healthz`)).headers.get('content-security-policy')!;
      expect(csp).toContain("img-src 'self' data: blob: http://tiles.intranet:8081;");
      expect(csp).toContain("connect-src 'self' ws: wss: http://tiles.intranet:8081;");
    } finally {
      await withTiles.stop();
    }
  });
});
