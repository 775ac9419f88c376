#!/usr/bin/env node
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import cluster from 'node:cluster';
import { Command, Option } from 'commander';
import { runPrimary, workerCount } from './cluster.js';
import { envOverride, loadConfig, redactConfig } from './config/load.js';
import type { DownstreamFormat, Vendor } from './canonical/types.js';
import { ImbridgeError } from './errors.js';
import { createLogger } from './log.js';
import { startGateway } from './gateway/server.js';

/** Prints an imbridge error as one readable line (no stack) and sets a non-zero exit code. */
function fail(err: unknown): never {
  const message = err instanceof ImbridgeError ? `${err.code}: ${err.message}` : String((err as Error)?.stack ?? err);
  process.stderr.write(`imbridge: ${message}\n`);
  process.exit(2);
}

const program = new Command('imbridge')
  .description('Webhook gateway between Tencent Cloud IM and OpenIM callbacks')
  .option('-c, --config <file>', 'YAML config file (default: $IMBRIDGE_CONFIG)');

program
  .command('serve', { isDefault: true })
  .description('start the gateway')
  .option('--record <file>', 'append every accepted callback to this JSONL file (server.record.path)')
  .action(async (opts: { record?: string }) => {
    let config;
    try {
      config = loadConfig({ file: program.opts().config });
    } catch (err) {
      fail(err);
    }
    if (opts.record) config.server.record.path = opts.record;
    // Readable lines on a terminal, JSON lines everywhere else (containers, files, log shippers).
    const logger = createLogger(config.logLevel, undefined, Boolean(process.stdout.isTTY));
    if (cluster.isPrimary && workerCount(config) > 1) {
      await runPrimary(config, logger);
      return;
    }
    const gateway = await startGateway(config, logger);
    const stop = (signal: string) => {
      logger.info({ signal }, 'shutting down');
      gateway.close().then(() => process.exit(0), fail);
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });

program
  .command('translate')
  .description(
    'read one vendor payload on stdin and print the canonical event and the downstream request(s); no network',
  )
  .addOption(
    new Option('--from <vendor>', 'vendor that sent the payload').choices(['tencent', 'openim']).makeOptionMandatory(),
  )
  .addOption(
    new Option('--to <format>', 'downstream format').choices(['tencent', 'openim', 'canonical']).makeOptionMandatory(),
  )
  .option(
    '--query <query>',
    'Tencent: the callback query string, e.g. "SdkAppid=1400000000&CallbackCommand=Sns.CallbackFriendDelete"',
  )
  .option('--command <command>', "OpenIM: the callback command (default: the body's callbackCommand)")
  .option('--url <url>', 'downstream URL to show', 'http://backend.invalid/callback')
  .option('--sdkappid <id>', 'SdkAppid for Tencent-format output (default: $TENCENT_SDKAPPID or the input query)')
  .option(
    '--commands <list>',
    "the downstream vendor's commands the backend implements, comma-separated (downstream.commands; default: all)",
    (v: string) =>
      v
        .split(',')
        .map((c) => c.trim())
        .filter(Boolean),
  )
  .action(
    async (opts: {
      from: Vendor;
      to: DownstreamFormat;
      query?: string;
      command?: string;
      url: string;
      sdkappid?: string;
      commands?: string[];
    }) => {
      // Each tool's modules load only when it runs, so `serve` does not carry them in memory.
      const { translatePayload } = await import('./commands/translate.js');
      try {
        const sdkAppId = opts.sdkappid ?? envOverride('TENCENT_SDKAPPID');
        const result = translatePayload({ ...opts, sdkAppId, body: readFileSync(0, 'utf8') });
        if (!result.requests)
          process.stderr.write('imbridge: no counterpart in that format; the gateway would answer the caller itself\n');
        else if (result.requests.length === 0 && !result.afterAllow)
          process.stderr.write(
            'imbridge: no call the backend implements (--commands); the gateway would answer the caller itself\n',
          );
        process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      } catch (err) {
        fail(err);
      }
    },
  );

program
  .command('mappings')
  .description(
    'print the table of every vendor command, its counterparts and what is lost (generated from the mapping registry)',
  )
  .option(
    '--write <file>',
    'replace the generated section of this Markdown file (e.g. docs/mappings.md) instead of printing',
  )
  .action(async (opts: { write?: string }) => {
    const { mappingTable, withMappingTable } = await import('./commands/mappingTable.js');
    if (!opts.write) {
      process.stdout.write(`${mappingTable()}\n`);
      return;
    }
    writeFileSync(opts.write, withMappingTable(readFileSync(opts.write, 'utf8')));
  });

program
  .command('schemas')
  .description('write the JSON Schema of every canonical event type and of the verdict')
  .requiredOption('--out <dir>', 'directory to write them to')
  .action(async (opts: { out: string }) => {
    const { jsonSchemas, schemaText } = await import('./canonical/jsonSchema.js');
    mkdirSync(opts.out, { recursive: true });
    for (const [name, schema] of Object.entries(jsonSchemas())) writeFileSync(join(opts.out, name), schemaText(schema));
  });

program
  .command('test')
  .description(
    "run golden cases (YAML/JSON: a callback, the backend's reply, the expected downstream requests and answer) through the real gateway on 127.0.0.1",
  )
  .argument('[dir]', 'directory of cases')
  .option('--from-recording <file>', 'instead, write one case per recorded callback, expecting what this version does')
  .addOption(
    new Option('--format <format>', 'backend format of the written cases').choices(['tencent', 'openim', 'canonical']),
  )
  .option('--out <dir>', 'where --from-recording writes the cases')
  .action(
    async (dir: string | undefined, opts: { fromRecording?: string; format?: DownstreamFormat; out?: string }) => {
      const { casesFromRecording, loadCases, runCases } = await import('./commands/golden.js');
      try {
        if (opts.fromRecording) {
          if (!opts.format || !opts.out) throw new ImbridgeError('usage', '--from-recording needs --format and --out');
          const n = await casesFromRecording(opts.fromRecording, opts.format, opts.out);
          process.stdout.write(`wrote ${n} cases to ${opts.out}\n`);
          return;
        }
        if (!dir) throw new ImbridgeError('usage', 'name a directory of cases');
        const results = await runCases(loadCases(dir));
        for (const r of results) {
          process.stdout.write(`${r.ok ? '✔' : '✘'} ${r.name} (${r.file})\n`);
          if (!r.ok) process.stdout.write(`${r.diff}\n`);
        }
        const failed = results.filter((r) => !r.ok).length;
        process.stdout.write(`${results.length - failed} passed, ${failed} failed\n`);
        process.exitCode = failed > 0 ? 1 : 0;
      } catch (err) {
        fail(err);
      }
    },
  );

program
  .command('replay')
  .description(
    'send recorded callbacks again through this version to a backend, paced; with --compare, report where its decisions differ from the recorded ones',
  )
  .argument('<file>', 'recording (JSONL, from server.record or serve --record)')
  .requiredOption('--to <url>', 'backend URL')
  .addOption(
    new Option('--format <format>', 'backend format').choices(['tencent', 'openim', 'canonical']).makeOptionMandatory(),
  )
  .option('--rate <n>', 'callbacks per second', Number, 50)
  .option('--compare', 'compare each decision with the recorded one; exit 1 on any difference')
  .option('--only <command>', 'only this vendor command')
  .option('--ignore <fields>', 'leave out of the comparison: code, message, patch, patch.<key> (comma-separated)')
  .option('--html <file>', 'with --compare, also write the report as one self-contained HTML page')
  .action(
    async (
      file: string,
      opts: {
        to: string;
        format: DownstreamFormat;
        rate: number;
        compare?: boolean;
        only?: string;
        ignore?: string;
        html?: string;
      },
    ) => {
      const { asMirrorHistory, replay } = await import('./commands/replay.js');
      const { mirrorReport, mirrorReportHtml, mirrorReportText } = await import('./migration/mirrorReport.js');
      try {
        const result = await replay({
          file,
          to: opts.to,
          format: opts.format,
          rate: opts.rate,
          only: opts.only,
          ignore: opts.ignore?.split(',').map((f) => f.trim()),
          config: program.opts().config ? config() : undefined,
          progress: Boolean(process.stderr.isTTY),
        });
        process.stdout.write(
          `sent ${result.sent}, refused ${result.refused}, undelivered after-events ${result.undelivered}\n`,
        );
        const differing = result.compared.filter((c) => c.differences.length > 0).length;
        if (opts.compare) {
          const rows = mirrorReport(asMirrorHistory(result.compared));
          process.stdout.write(mirrorReportText(rows));
          if (opts.html)
            writeFileSync(opts.html, mirrorReportHtml(rows, `imbridge replay of ${file} against ${opts.to}`));
        }
        process.exitCode = result.refused > 0 || result.undelivered > 0 || (opts.compare && differing > 0) ? 1 : 0;
      } catch (err) {
        fail(err);
      }
    },
  );

program
  .command('mirror')
  .description('what the mirror compared (docs/migration.md#mirror-and-diff)')
  .command('report')
  .description('per command: callbacks compared, agreement, the kinds of difference with an example each')
  .option('--since <duration>', 'how far back: 90s, 30m, 1h, 7d', '1h')
  .option('--command <command>', 'only this vendor command')
  .option('--html <file>', 'also write the report as one self-contained HTML page')
  .action(async (opts: { since: string; command?: string; html?: string }) => {
    const { mirrorReportCommand } = await import('./commands/mirror.js');
    try {
      await mirrorReportCommand(config(), opts, (t) => void process.stdout.write(t));
    } catch (err) {
      fail(err);
    }
  });

/** Loads the config for a subcommand, or exits with the problems. */
function config() {
  try {
    return loadConfig({ file: program.opts().config });
  } catch (err) {
    fail(err);
  }
}

const terminal = { write: (t: string) => void process.stdout.write(t), isTTY: Boolean(process.stderr.isTTY) };
const keyOrAll = (key: string | undefined, all: boolean | undefined): string | 'all' => {
  if (all) return 'all';
  if (key) return key;
  fail(new ImbridgeError('usage', 'name a key or pass --all'));
};

const outbox = program
  .command('outbox')
  .description('inspect and replay after-events that could not be delivered (dead letters)');
outbox
  .command('list')
  .description('show pending and dead counts and every dead letter')
  .option('--limit <n>', 'at most this many', (v) => Number(v), 100)
  .action(async (opts: { limit: number }) => {
    const { listDead } = await import('./commands/outbox.js');
    await listDead(config(), opts.limit, terminal).catch(fail);
  });
outbox
  .command('retry [key]')
  .description('attempt now one dead letter or parked pending entry (a long backoff, a Retry-After), or all of them')
  .option('--all', 'every dead letter and every parked pending entry')
  .action(async (key: string | undefined, opts: { all?: boolean }) => {
    const c = config();
    const { retryDead } = await import('./commands/outbox.js');
    await retryDead(c, keyOrAll(key, opts.all), createLogger('silent'), terminal).catch(fail);
  });
outbox
  .command('purge [key]')
  .description('delete one dead letter, or all of them')
  .option('--all', 'every dead letter')
  .action(async (key: string | undefined, opts: { all?: boolean }) => {
    const { purgeDead } = await import('./commands/outbox.js');
    await purgeDead(config(), keyOrAll(key, opts.all), terminal).catch(fail);
  });

program
  .command('check-config')
  .description('validate the config (file + environment) and print it with secrets masked')
  .action(() => {
    try {
      const config = loadConfig({ file: program.opts().config });
      process.stdout.write(`${JSON.stringify(redactConfig(config), null, 2)}\nconfig OK\n`);
    } catch (err) {
      fail(err);
    }
  });

await program.parseAsync();
