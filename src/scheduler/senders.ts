// The channel senders of a config: one per channel whose token is set.
import { Telegram } from 'telegraf';
import { createTelegramSender } from '../channels/telegram/sender.ts';
import type { ChannelSender } from '../channels/types.ts';
import { ZaloClient } from '../channels/zalo/client.ts';
import { createZaloSender } from '../channels/zalo/sender.ts';
import type { Config } from '../config.ts';
import { fileStoreFromConfig } from '../files/store.ts';

export function sendersFromConfig(config: Config): ChannelSender[] {
  const env = config.env;
  const out: ChannelSender[] = [];
  if (env.TELEGRAM_BOT_TOKEN) {
    const telegram = new Telegram(env.TELEGRAM_BOT_TOKEN, env.TELEGRAM_API_ROOT ? { apiRoot: env.TELEGRAM_API_ROOT } : {});
    out.push(createTelegramSender(telegram, { files: fileStoreFromConfig(config) }));
  }
  if (env.ZALO_BOT_TOKEN) out.push(createZaloSender(new ZaloClient({ token: env.ZALO_BOT_TOKEN, apiRoot: env.ZALO_API_ROOT })));
  return out;
}
