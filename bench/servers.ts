/**
 * The servers the benchmark measures, each started in its own process so that the load generator,
 * the subject and the backend do not share an event loop:
 *
 *   backend        the OpenIM-format backend: answers the continue envelope; `GET /count` says how many
 *                  callbacks it has answered, so the bench can tell deliveries from acknowledgements
 *   bare           reference: node:http + undici passthrough doing a trivial rename
 *   koa-axios      reference: Koa + koa-bodyparser + axios (defaults, keep-alive agent), same rename
 *   imbridge       the real gateway, full validation and mapping, with a throwaway SQLite outbox;
 *                  a third argument picks the downstream format (openim by default), a fourth mirrors
 *                  every callback to that URL (an OpenIM-format candidate)
 *   silent         a candidate that takes every request and never answers
 *
 * Usage: node --import tsx bench/servers.ts <kind> <backendURL> [format] [mirrorURL]; prints `ready <url>` once listening.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import axios from 'axios';
import Koa from 'koa';
import bodyParser from 'koa-bodyparser';
import { Agent, request } from 'undici';
import { configSchema } from '../src/config/schema.js';
import { createApp } from '../src/gateway/app.js';
import { createLogger } from '../src/log.js';

const CONTINUE = '{"actionCode":0,"errCode":0,"errMsg":"","errDlt":"","nextCode":0}';
const TENCENT_OK = '{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}';
const [kind, backendURL = '', format = 'openim', mirrorURL] = process.argv.slice(2);

/** The references' whole "mapping": first pair only, no validation. */
function rename(body: { PairList: { From_Account: string; To_Account: string }[] }): string {
  const p = body.PairList[0]!;
  return JSON.stringify({
    callbackCommand: 'callbackAfterDeleteFriendCommand',
    ownerUserID: p.From_Account,
    friendUserID: p.To_Account,
  });
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (data += c));
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}

function listen(server: http.Server): void {
  server.keepAliveTimeout = 65_000;
  server.listen(0, '127.0.0.1', () => {
    process.stdout.write(`ready http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
  });
}

switch (kind) {
  case 'backend': {
    let answered = 0;
    listen(
      http.createServer(async (req, res) => {
        if (req.method === 'GET' && req.url === '/count') {
          res.end(String(answered));
          return;
        }
        await readBody(req);
        answered++;
        res.setHeader('content-type', 'application/json');
        // Tencent-format requests carry the SdkAppid query; everything else reads OpenIM's envelope.
        res.end(req.url?.includes('SdkAppid=') ? TENCENT_OK : CONTINUE);
      }),
    );
    break;
  }
  case 'bare': {
    const agent = new Agent({ connections: 64 });
    listen(
      http.createServer(async (req, res) => {
        const out = rename(JSON.parse(await readBody(req)));
        const r = await request(`${backendURL}/hooks/callbackAfterDeleteFriendCommand`, {
          method: 'POST',
          headers: { 'content-type': 'application/json; charset=utf-8' },
          body: out,
          dispatcher: agent,
        });
        await r.body.text();
        res.setHeader('content-type', 'application/json');
        res.end(TENCENT_OK);
      }),
    );
    break;
  }
  case 'koa-axios': {
    const client = axios.create({ httpAgent: new http.Agent({ keepAlive: true }) });
    const app = new Koa();
    app.use(bodyParser());
    app.use(async (ctx) => {
      await client.post(`${backendURL}/hooks/callbackAfterDeleteFriendCommand`, rename(ctx.request.body as never), {
        headers: { 'content-type': 'application/json; charset=utf-8' },
      });
      ctx.body = { ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' };
    });
    listen(http.createServer(app.callback()));
    break;
  }
  case 'imbridge': {
    let outbox = process.env['OUTBOX_URL'];
    if (!outbox) {
      const dir = mkdtempSync(join(tmpdir(), 'imbridge-bench-'));
      // A throwaway outbox: gone with the process.
      process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
      outbox = `sqlite:${join(dir, 'outbox.sqlite')}`;
    }
    const config = configSchema.validateSync({
      logLevel: 'silent',
      tencent: { sdkAppId: '1400000000' },
      downstream: { url: `${backendURL}/hooks`, format },
      outbox: { url: outbox },
      ...(mirrorURL && { mirror: { url: `${mirrorURL}/hooks`, format: 'openim' } }),
    });
    const { app } = createApp({ config, logger: createLogger('silent') });
    listen(http.createServer(app.callback()));
    break;
  }
  case 'silent': {
    // Reads each request and holds it open: the candidate that never answers.
    listen(http.createServer((req) => void readBody(req)));
    break;
  }
  default:
    process.stderr.write(`unknown server kind ${kind}\n`);
    process.exit(2);
}

// A normal exit on signals, so `--cpu-prof` gets to write its profile.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(0));
