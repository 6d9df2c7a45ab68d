import crypto from 'node:crypto';
import { BeaconError } from '@beacon/shared';

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

/**
 * Who may read `GET /metrics`. With a token (`BEACON_METRICS_TOKEN`): whoever sends
 * `Authorization: Bearer <token>` (UNAUTHORIZED otherwise). Without one: loopback addresses only
 * (FORBIDDEN otherwise), i.e. a Prometheus or an exporter on the same machine, or behind a proxy that
 * sets X-Forwarded-For (the address is `req.ip`, which trusts only a loopback proxy).
 */
export function metricsAccess(token: string | null): (address: string, authorization: string | undefined) => void {
  const expected = token === null ? null : crypto.createHash('sha256').update(token).digest();
  return (address, authorization) => {
    if (expected === null) {
      if (!LOOPBACK.test(address)) {
        throw new BeaconError(
          'FORBIDDEN',
          '/metrics is served to loopback only; set BEACON_METRICS_TOKEN to allow others',
        );
      }
      return;
    }
    const sent = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1] ?? '';
    const digest = crypto.createHash('sha256').update(sent).digest();
    if (!crypto.timingSafeEqual(digest, expected)) {
      throw new BeaconError('UNAUTHORIZED', 'send "Authorization: Bearer <BEACON_METRICS_TOKEN>"');
    }
  };
}
