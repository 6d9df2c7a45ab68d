import http from 'node:http';
import { Server } from './deps.ts';

/**
 * The baseline for the socket path: a bare Socket.IO server with the real server's options, acknowledging
 * every `gps:reported` and every `ingest:batch` at once. No auth, no validation, no Redis.
 */
export async function startRelay(): Promise<{ url: string; close(): Promise<void> }> {
  const httpServer = http.createServer();
  const io = new Server(httpServer, { serveClient: false, maxHttpBufferSize: 2e6, cors: { origin: true } });
  io.of('/ingest').on('connection', (socket) => {
    socket.on('gps:reported', (_event: unknown, ack: (reply: unknown) => void) => {
      ack({ ok: true, data: { accepted: 1, duplicates: 0 } });
    });
    socket.on('ingest:batch', (items: unknown, ack: (reply: unknown) => void) => {
      const n = Array.isArray(items) ? items.length : 0;
      ack({ ok: true, data: { accepted: n, duplicates: 0 } });
    });
  });
  const port = await new Promise<number>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(0, '127.0.0.1', () => {
      const address = httpServer.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => void io.close(() => resolve())),
  };
}
