import {
  BeaconError,
  WorkOrder,
  orderMove,
  type Clock,
  type CreateOrderCommand,
  type ListOrdersCommand,
  type OrderActionCommand,
  type OrderHop,
  type OrderStats,
  type SendOrderCommand,
  type SessionInfo,
} from '@beacon/shared';
import type { Keys } from '../redis/keys.ts';
import type { BeaconRedis } from '../redis/scripts.ts';
import { createRecordStore } from '../redis/records.ts';
import type { Fanout } from '../realtime/fanout.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { Jurisdictions } from '../region/jurisdictions.ts';
import type { Areas } from '../auth/areas.ts';
import { localDayKey } from '../incidents/incident-store.ts';
import { dailyDeadlines } from '../sla/daily-cycle.ts';

/** How far back order lists and statistics look. */
const LOOKBACK_MS = 31 * 24 * 3600_000;

function isOpen(order: WorkOrder): boolean {
  return order.state !== 'completed' && order.state !== 'cancelled';
}

/** Figures of the orders held by `adcode` or below (pure: the supervisor view). */
export function orderStats(
  adcode: string,
  orders: readonly WorkOrder[],
  contains: (area: string, holder: string) => boolean,
  now: number,
): OrderStats {
  const mine = orders.filter((o) => o.state !== 'cancelled' && contains(adcode, o.holder));
  const completed = mine.filter((o) => o.state === 'completed');
  const durations = completed.map((o) => (o.completedAt ?? o.createdAt) - o.createdAt);
  return {
    adcode,
    total: mine.length,
    completed: completed.length,
    open: mine.length - completed.length,
    overdue: mine.filter((o) => isOpen(o) && now > o.dueAt).length,
    closureRate: mine.length === 0 ? null : completed.length / mine.length,
    meanCompletionMs:
      durations.length === 0 ? null : Math.round(durations.reduce((a, b) => a + b, 0) / durations.length),
  };
}

/**
 * Work orders between the levels of centers. Only the center holding an order acts on it (accept, return,
 * complete, send on); it may send it down to a child, up to its parent or sideways to a sibling, never further.
 * Every change is a compare-and-set on the order, audited, and pushed as `order:changed` to the centers it
 * concerns (the holder, the one it left, and every center above them).
 */
export function createOrders(deps: {
  redis: BeaconRedis;
  keys: Keys;
  clock: Clock;
  fanout: Fanout;
  audit: AuditLog;
  jurisdictions: Jurisdictions;
  areas: Areas;
}) {
  const { redis, keys, clock, fanout, audit, jurisdictions, areas } = deps;
  const records = createRecordStore({ redis, schema: WorkOrder, keyOf: keys.order, what: 'work order' });

  function requireHolder(order: WorkOrder, session: SessionInfo, what: string): void {
    if (order.holder !== session.jurisdiction) {
      throw new BeaconError(
        'FORBIDDEN',
        `work order ${order.id} is held by ${order.holder}; only that center can ${what} it`,
      );
    }
  }

  function hop(session: SessionInfo, from: string, to: string, reason: string | null, now: number): OrderHop {
    const move = orderMove(from, to, (a) => jurisdictions.parentOf(a));
    if (!move) {
      throw new BeaconError(
        'FORBIDDEN',
        `a work order goes from ${from} only down to a child, up to its parent or sideways to a sibling, not to ${to}`,
      );
    }
    if (!jurisdictions.get(to)) throw new BeaconError('NOT_FOUND', `no jurisdiction ${to}`);
    return { at: now, actor: session.actor, from, to, move, reason };
  }

  async function publish(order: WorkOrder, also: string[] = []): Promise<void> {
    await fanout.publish('order:changed', { order, notify: also });
  }

  async function list(under: string, since: number): Promise<WorkOrder[]> {
    const ids = await redis.zrangebyscore(keys.orderIds, since, '+inf');
    const orders = await records.getMany(ids);
    return orders.filter((o) => areas.contains(under, o.holder) || areas.contains(under, o.origin));
  }

  return {
    get: (id: string) => records.get(id),

    async create(command: CreateOrderCommand, session: SessionInfo): Promise<{ order: WorkOrder }> {
      const now = clock.now();
      const day = localDayKey(now);
      const seq = await redis.incr(keys.orderSeq(day));
      await redis.expire(keys.orderSeq(day), 3 * 24 * 3600);
      const id = `WO-${day}-${String(seq).padStart(4, '0')}`;
      let order: WorkOrder = {
        id,
        title: command.title,
        description: command.description ?? null,
        priority: command.priority ?? 'P3',
        state: 'accepted',
        origin: session.jurisdiction,
        holder: session.jurisdiction,
        sender: null,
        createdBy: session.actor,
        createdAt: now,
        updatedAt: now,
        dueAt: command.dueAt ?? dailyDeadlines(now).closeBy,
        acceptedAt: now,
        completedAt: null,
        result: null,
        incidentId: command.incidentId ?? null,
        hops: [],
        rev: 0,
      };
      if (command.to) {
        const first = hop(session, session.jurisdiction, command.to, null, now);
        order = {
          ...order,
          state: 'pending',
          holder: command.to,
          sender: session.jurisdiction,
          acceptedAt: null,
          hops: [first],
        };
      }
      if (!(await records.create(id, order))) throw new BeaconError('CONFLICT', `work order ${id} exists`);
      await redis.zadd(keys.orderIds, now, id);
      const stored = (await records.get(id))!;
      await audit.append('order:create', session.actor, now, { orderId: id, ...command });
      await publish(stored);
      return { order: stored };
    },

    /** Send an order the caller's center holds down, up or sideways. */
    async send(command: SendOrderCommand, session: SessionInfo): Promise<{ order: WorkOrder }> {
      const now = clock.now();
      let left = '';
      const order = await records.update(command.orderId, (current) => {
        requireHolder(current, session, 'send');
        if (!isOpen(current)) throw new BeaconError('CONFLICT', `work order ${current.id} is ${current.state}`);
        if (current.state === 'pending') {
          throw new BeaconError(
            'INVALID_TRANSITION',
            `accept work order ${current.id} (or return it) before sending it on`,
          );
        }
        const next = hop(session, current.holder, command.to, command.reason ?? null, now);
        left = current.holder;
        return {
          ...current,
          state: 'pending',
          holder: command.to,
          sender: current.holder,
          acceptedAt: null,
          updatedAt: now,
          hops: [...current.hops, next],
        };
      });
      await audit.append('order:send', session.actor, now, command);
      await publish(order, [left]);
      return { order };
    },

    async act(command: OrderActionCommand, session: SessionInfo): Promise<{ order: WorkOrder }> {
      const now = clock.now();
      let left: string[] = [];
      const order = await records.update(command.orderId, (current) => {
        if (!isOpen(current)) throw new BeaconError('CONFLICT', `work order ${current.id} is already ${current.state}`);
        switch (command.action) {
          case 'accept':
            requireHolder(current, session, 'accept');
            if (current.state !== 'pending') {
              throw new BeaconError(
                'INVALID_TRANSITION',
                `work order ${current.id} is ${current.state}, not waiting to be accepted`,
              );
            }
            return { ...current, state: 'accepted', acceptedAt: now, updatedAt: now };
          case 'return': {
            requireHolder(current, session, 'return');
            if (!current.sender) {
              throw new BeaconError(
                'INVALID_TRANSITION',
                `work order ${current.id} is at its origin; cancel it instead`,
              );
            }
            // The one the sender had it from, so a second return goes one further back.
            const before = [...current.hops].reverse().find((h) => h.to === current.sender && h.move !== 'returned');
            left = [current.holder];
            const back: OrderHop = {
              at: now,
              actor: session.actor,
              from: current.holder,
              to: current.sender,
              move: 'returned',
              reason: command.reason,
            };
            return {
              ...current,
              state: 'returned',
              holder: current.sender,
              sender: before?.from ?? null,
              acceptedAt: null,
              updatedAt: now,
              hops: [...current.hops, back],
            };
          }
          case 'complete':
            requireHolder(current, session, 'complete');
            if (current.state === 'pending') {
              throw new BeaconError('INVALID_TRANSITION', `accept work order ${current.id} before completing it`);
            }
            return { ...current, state: 'completed', completedAt: now, result: command.result, updatedAt: now };
          case 'cancel':
            if (current.origin !== session.jurisdiction) {
              throw new BeaconError('FORBIDDEN', `only the center that created work order ${current.id} can cancel it`);
            }
            left = [current.holder];
            return { ...current, state: 'cancelled', result: command.reason, updatedAt: now };
        }
      });
      await audit.append(`order:${command.action}`, session.actor, now, command);
      await publish(order, left);
      return { order };
    },

    /** Orders held by (or created at) `under` and below, newest first. */
    async list(command: ListOrdersCommand, session: SessionInfo): Promise<{ orders: WorkOrder[] }> {
      const under = command.under ?? session.jurisdiction;
      if (!areas.contains(session.jurisdiction, under)) {
        throw new BeaconError('FORBIDDEN', `${under} is outside your jurisdiction (${session.jurisdiction})`);
      }
      const now = clock.now();
      let orders = await list(under, now - LOOKBACK_MS);
      if (command.state) orders = orders.filter((o) => o.state === command.state);
      if (command.overdue) orders = orders.filter((o) => isOpen(o) && now > o.dueAt);
      orders.sort((a, b) => b.createdAt - a.createdAt);
      return { orders: orders.slice(0, command.limit ?? 500) };
    },

    /** The supervisor view: figures of a center and of each center directly under it. */
    async stats(under: string, session: SessionInfo): Promise<{ self: OrderStats; children: OrderStats[] }> {
      if (!areas.contains(session.jurisdiction, under)) {
        throw new BeaconError('FORBIDDEN', `${under} is outside your jurisdiction (${session.jurisdiction})`);
      }
      const now = clock.now();
      const orders = await list(under, now - LOOKBACK_MS);
      const contains = (area: string, holder: string) => areas.contains(area, holder);
      return {
        self: orderStats(under, orders, contains, now),
        children: jurisdictions.childrenOf(under).map((c) => orderStats(c.adcode, orders, contains, now)),
      };
    },
  };
}
export type Orders = ReturnType<typeof createOrders>;
