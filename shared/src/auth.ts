import { z } from 'zod';
import type { OpsClientToServerEvents } from './events.ts';

/**
 * Who may do what on `/ops` and the HTTP API. Roles are ordered: each can do everything the one before it
 * can. A wall display runs on a long-lived read-only display token (role `viewer`), never on a person's login.
 */
export const ROLES = ['viewer', 'dispatcher', 'supervisor', 'admin'] as const;
export const Role = z.enum(ROLES);
export type Role = z.output<typeof Role>;

/** Whether `role` is at least `needed`. */
export function hasRole(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

export type OpsCommandName = keyof OpsClientToServerEvents;

/** The least role each `/ops` command needs; anything not listed here is refused. */
export const COMMAND_ROLES: Record<OpsCommandName, Role> = {
  'situation:snapshot': 'viewer',
  'health:snapshot': 'viewer',
  'incidents:statistics': 'viewer',
  'incidents:overdue': 'viewer',
  'incident:timeline': 'viewer',
  'assignment:route': 'viewer',
  // Read-only: the wall's attention card shows the three best units of a new P1.
  'dispatch:recommend': 'viewer',
  'dispatch:assign': 'dispatcher',
  'assignment:report': 'dispatcher',
  'unit:report': 'dispatcher',
  'incident:create': 'dispatcher',
  'incident:transition': 'dispatcher',
  'incident:note': 'dispatcher',
  'incident:attach': 'dispatcher',
  'incident:merge': 'dispatcher',
  'incident:link': 'dispatcher',
  'incident:priority': 'dispatcher',
  'alarm:act': 'dispatcher',
  'incident:supervise': 'supervisor',
  'audit:list': 'supervisor',
  'session:info': 'viewer',
  'orders:list': 'viewer',
  'orders:stats': 'viewer',
  'order:create': 'dispatcher',
  'order:send': 'dispatcher',
  'order:act': 'dispatcher',
  'broadcast:send': 'dispatcher',
  'broadcasts:list': 'viewer',
  'jurisdictions:around': 'viewer',
  'situation:asOf': 'viewer',
  'weather:history': 'viewer',
};

const Username = z
  .string()
  .trim()
  .regex(/^[a-z0-9_.-]{2,32}$/i, '2–32 letters, digits, _ . or -');

export const LoginCommand = z.strictObject({
  username: Username,
  password: z.string().min(1).max(200),
});
export type LoginCommand = z.output<typeof LoginCommand>;

/** What a screen knows about who it is signed in as. */
export interface SessionInfo {
  /** `user:<name>` or `display:<name>`: the actor recorded in the audit stream. */
  actor: string;
  name: string;
  role: Role;
  /** Adcode of the jurisdiction the user belongs to: they see it and everything below it. */
  jurisdiction: string;
  kind: 'user' | 'display';
  /** Epoch ms; null for a display token that does not expire. */
  expiresAt: number | null;
}

/** Answer of a successful login: the bearer token and who it is. */
export interface LoginResult {
  token: string;
  session: SessionInfo;
}

export const NewUser = z.strictObject({
  username: Username,
  password: z.string().min(10, 'at least 10 characters').max(200),
  role: Role,
  jurisdiction: z.string().regex(/^\d{6}$/, 'a 6-digit adcode'),
  displayName: z.string().trim().max(64).optional(),
});
export type NewUser = z.output<typeof NewUser>;

/** A supervisor reads the audit stream: newest first, optionally filtered by actor or action prefix. */
export const AuditListCommand = z.strictObject({
  limit: z.number().int().min(1).max(1000).optional(),
  /** Stream id to continue before (paging back). */
  before: z
    .string()
    .regex(/^\d+-\d+$/)
    .optional(),
  actor: z.string().max(128).optional(),
  action: z.string().max(64).optional(),
});
export type AuditListCommand = z.output<typeof AuditListCommand>;

export interface AuditEntry {
  id: string;
  at: number;
  action: string;
  actor: string;
  details: unknown;
}
