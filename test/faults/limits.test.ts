import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INGEST_NAMESPACE, OPS_NAMESPACE } from '@beacon/shared';
import { manualClock, startTestStack, type TestStack } from '../helpers/stack.ts';

/** Connect without the stack's helper, to see the refusal: resolves with the connect_error's data.code. */
function connectOutcome(url: string, auth: Record<string, string>) {
  const socket = connect(url, { auth, transports: ['websocket'], reconnection: false, forceNew: true });
  const outcome = new Promise<string>((resolve) => {
    socket.once('connect', () => resolve('connected'));
    socket.once('connect_error', (error: Error & { data?: { code?: string } }) => resolve(error.data?.code ?? 'none'));
  });
  return { socket, outcome };
}

async function until(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('limits: commands per person, connections per address', () => {
  const clock = manualClock();
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({
      clock,
      config: { opsCommandRatePerS: 1, opsCommandBurst: 5, maxConnectionsPerIp: 4 },
    });
  });
  afterAll(async () => {
    await stack.stop();
  });

  const rejected = async () => Number((await stack.redis.hget('beacon:stats:rejected', 'RATE_LIMITED')) ?? 0);

  it('answers RATE_LIMITED past one person’s command budget, leaves others alone, and refills with time', async () => {
    const before = await rejected();
    const dispatcher = await stack.opsSocket({ role: 'dispatcher' });
    const answers = [];
    for (let i = 0; i < 7; i += 1) answers.push(await dispatcher.emitWithAck('incidents:overdue', {}));
    expect(answers.slice(0, 5).every((a) => a.ok)).toBe(true);
    expect(answers[5]).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    expect(answers[6]).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    expect(await rejected()).toBe(before + 2);

    // Another person has a budget of their own.
    const supervisor = await stack.opsSocket({ role: 'supervisor' });
    expect(await supervisor.emitWithAck('incidents:overdue', {})).toMatchObject({ ok: true });

    // A second connection of the same person shares the first one's budget.
    const sameAgain = await stack.opsSocket({ role: 'dispatcher' });
    expect(await sameAgain.emitWithAck('incidents:overdue', {})).toMatchObject({
      ok: false,
      error: { code: 'RATE_LIMITED' },
    });

    clock.advance(2000);
    expect(await dispatcher.emitWithAck('incidents:overdue', {})).toMatchObject({ ok: true });
    for (const socket of [dispatcher, supervisor, sameAgain]) socket.disconnect();
    await until(() => stack.app.io.of(OPS_NAMESPACE).sockets.size === 0, 'the screens to close');
  });

  it('refuses connections over the per-address limit on both namespaces, counted, and frees a slot on disconnect', async () => {
    const key = await stack.provisionDevice('limit-car', 'patrol');
    const ingestUrl = `${stack.baseUrl}${INGEST_NAMESPACE}`;
    const opsUrl = `${stack.baseUrl}${OPS_NAMESPACE}`;
    const token = await stack.token();
    const open = [
      connectOutcome(ingestUrl, { deviceId: 'limit-car', key }),
      connectOutcome(ingestUrl, { deviceId: 'limit-car', key }),
      connectOutcome(opsUrl, { token }),
      connectOutcome(opsUrl, { token }),
    ];
    expect(await Promise.all(open.map((o) => o.outcome))).toEqual(Array(4).fill('connected'));
    const before = await rejected();

    const overIngest = connectOutcome(ingestUrl, { deviceId: 'limit-car', key });
    expect(await overIngest.outcome).toBe('RATE_LIMITED');
    const overOps = connectOutcome(opsUrl, { token });
    expect(await overOps.outcome).toBe('RATE_LIMITED');
    // Refused before the key is looked at: a wrong key is refused for the limit too, not as UNAUTHORIZED.
    const wrongKey = connectOutcome(ingestUrl, { deviceId: 'limit-car', key: 'bk_wrong' });
    expect(await wrongKey.outcome).toBe('RATE_LIMITED');
    expect(await rejected()).toBe(before + 3);

    open[0]!.socket.disconnect();
    await until(() => stack.app.io.of(INGEST_NAMESPACE).sockets.size === 1, 'the server to see the disconnect');
    const again = connectOutcome(ingestUrl, { deviceId: 'limit-car', key });
    expect(await again.outcome).toBe('connected');

    const metrics = await (await fetch(`${stack.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/^beacon_connections_refused_total 3$/m);
    for (const o of [...open, overIngest, overOps, wrongKey, again]) o.socket.disconnect();
  });
});
