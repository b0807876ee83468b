// A loopback Bot API with what evidence needs and telegram-test-api lacks: getFile and the
// file download (/file/bot<token>/<path>), and uploads by sendPhoto / sendDocument (multipart).
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeBotApi {
  apiRoot: string;
  token: string;
  /** Files the server holds, by file_id: their path and content. */
  files: Map<string, { path: string; content: Buffer; tooBig?: boolean }>;
  calls: { method: string; contentType: string; body: Buffer }[];
  /** Paths downloaded under /file/. */
  downloads: string[];
  close(): Promise<void>;
}

export async function startFakeBotApi(token = '424242:AAF-fake-evidence-token'): Promise<FakeBotApi> {
  const files: FakeBotApi['files'] = new Map();
  const calls: FakeBotApi['calls'] = [];
  const downloads: string[] = [];
  let nextId = 1;
  const json = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = req.url ?? '';
      const body = Buffer.concat(chunks);
      const file = new RegExp(`^/file/bot${token}/(.+)$`).exec(url);
      if (file) {
        const f = [...files.values()].find((x) => x.path === file[1]);
        downloads.push(file[1]);
        if (!f) return json(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
        res.writeHead(200, { 'content-length': String(f.content.length) });
        return res.end(f.content);
      }
      const m = new RegExp(`^/bot${token}/(\\w+)$`).exec(url);
      if (!m) return json(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
      const method = m[1];
      calls.push({ method, contentType: String(req.headers['content-type'] ?? ''), body });
      const params = String(req.headers['content-type']).startsWith('application/json') && body.length ? JSON.parse(body.toString()) : {};
      switch (method) {
        case 'getMe':
          return json(res, 200, { ok: true, result: { id: 424242, is_bot: true, first_name: 'Nhắc việc', username: 'nhacviec_bot' } });
        case 'getFile': {
          const f = files.get(String(params.file_id));
          if (!f) return json(res, 400, { ok: false, error_code: 400, description: 'Bad Request: invalid file_id' });
          if (f.tooBig) return json(res, 400, { ok: false, error_code: 400, description: 'Bad Request: file is too big' });
          return json(res, 200, { ok: true, result: { file_id: params.file_id, file_unique_id: `u${params.file_id}`, file_size: f.content.length, file_path: f.path } });
        }
        case 'sendMessage':
        case 'sendPhoto':
        case 'sendDocument':
          return json(res, 200, { ok: true, result: { message_id: nextId++, date: 0, chat: { id: 1, type: 'private' } } });
        default:
          return json(res, 404, { ok: false, error_code: 404, description: 'Not Found: method not found' });
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    apiRoot: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    token,
    files,
    calls,
    downloads,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
