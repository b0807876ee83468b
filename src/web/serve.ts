// Serving the dashboard (and the webhooks, when given) on a port: what `nhacviec start`,
// `nhacviec web` and the console demo run.
import type { WebhookSet } from '../channels/webhook-server.ts';
import { publicUrlOf, type Config } from '../config.ts';
import type { Db } from '../db/open.ts';
import type { Logger } from '../log.ts';
import { createWebApp } from './app.ts';
import { listenWeb } from './server.ts';

export interface ServeWebDeps {
  db: Db;
  config: Config;
  log: Logger;
  port: number;
  /** Interface to listen on (default all). */
  host?: string;
  now?: () => number;
  webhooks?: WebhookSet;
}

export interface ServedWeb {
  port: number;
  /** PUBLIC_URL, or http://localhost:<port>. */
  publicUrl: string;
  /** Stops accepting, then waits for the webhook updates in hand. */
  close(): Promise<void>;
}

export async function serveWeb(deps: ServeWebDeps): Promise<ServedWeb> {
  // The address is known once the port is bound (PORT 0 picks one): the app reads it through this holder.
  const holder = { publicUrl: publicUrlOf(deps.config, deps.port) };
  const app = createWebApp({
    db: deps.db,
    config: deps.config,
    log: deps.log,
    now: deps.now ?? (() => Date.now()),
    get publicUrl() {
      return holder.publicUrl;
    },
    ...(deps.webhooks ? { webhooks: deps.webhooks } : {}),
  });
  const listener = await listenWeb(app, deps.port, deps.host);
  holder.publicUrl = publicUrlOf(deps.config, listener.port);
  return {
    port: listener.port,
    publicUrl: holder.publicUrl,
    async close() {
      await listener.close();
      await deps.webhooks?.idle();
    },
  };
}

/** One sentence for a port that cannot be bound (in use, or not allowed). */
export function listenFailure(port: number, e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code === 'EADDRINUSE') return `Cổng ${port} đang được một chương trình khác dùng: dừng chương trình đó hoặc đặt PORT khác (ví dụ PORT=8081).`;
  if (code === 'EACCES') return `Không được phép mở cổng ${port}: chọn cổng lớn hơn 1024 (PORT=8080).`;
  return `Không mở được cổng ${port}: ${(e as Error)?.message ?? String(e)}.`;
}
