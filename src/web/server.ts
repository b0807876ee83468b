// Serving a Hono app on a Node HTTP server we own (so that we can close it and know its port).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import type { Hono } from 'hono';
import type { WebEnv } from './types.ts';

export type { WebEnv };

export interface WebListener {
  /** The port actually bound (0 asks for a free one). */
  port: number;
  /** Stops accepting and closes idle connections; resolves once the server is closed. */
  close(): Promise<void>;
}

export function listenWeb(app: Hono<WebEnv>, port: number, host?: string): Promise<WebListener> {
  const server = http.createServer(getRequestListener(app.fetch));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeIdleConnections();
          }),
      });
    });
  });
}
