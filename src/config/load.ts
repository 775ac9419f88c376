import { readFileSync } from 'node:fs';
import { ValidationError } from 'yup';
import { parse as parseYaml } from 'yaml';
import { ImbridgeError } from '../errors.js';
import { configSchema, type Config } from './schema.js';

/** Env vars that override config keys (docs/configuration.md#environment). */
export const ENV_OVERRIDES: Record<string, string[]> = {
  PORT: ['server', 'port'],
  HOST: ['server', 'host'],
  DOWNSTREAM_URL: ['downstream', 'url'],
  DOWNSTREAM_FORMAT: ['downstream', 'format'],
  MIRROR_URL: ['mirror', 'url'],
  MIRROR_FORMAT: ['mirror', 'format'],
  TENCENT_SDKAPPID: ['tencent', 'sdkAppId'],
  TENCENT_CALLBACK_TOKEN: ['tencent', 'callbackToken'],
  LOG_LEVEL: ['logLevel'],
  OUTBOX_URL: ['outbox', 'url'],
  IMBRIDGE_WORKERS: ['server', 'workers'],
  // Secrets are often injected through the environment rather than written to a file.
  DOWNSTREAM_TOKEN: ['downstream', 'token'],
  DOWNSTREAM_SECRET: ['downstream', 'secret'],
  OPENIM_PATH_SECRET: ['openim', 'pathSecret'],
};

/**
 * The value of one of the `ENV_OVERRIDES` variables, undefined when it is unset or empty (an empty env
 * var counts as unset). For tools such as `translate` that take one setting and load no config file.
 */
export function envOverride(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

/** Keys whose values never appear in output. */
const SECRET_KEYS = new Set(['callbackToken', 'token', 'secret', 'pathSecret']);

/**
 * A URL fit for a log: any password and every query value masked (`?key=***`), since a credential in
 * the query (`?key=…`, `?token=…`) is as secret as one in the password.
 */
export function redactURL(value: string): string {
  try {
    const url = new URL(value);
    if (!url.password && !url.search) return value;
    if (url.password) url.password = '***';
    if (url.search) {
      const masked = [...url.searchParams.keys()].map((k) => `${encodeURIComponent(k)}=***`).join('&');
      url.search = masked;
    }
    return url.toString();
  } catch {
    return value;
  }
}

type Tree = Record<string, unknown>;

function setPath(tree: Tree, path: string[], value: string): void {
  let node = tree;
  for (const key of path.slice(0, -1)) {
    const child = node[key];
    node = (node[key] = child && typeof child === 'object' ? child : {}) as Tree;
  }
  // Numbers from the environment are strings; the schema's cast turns "8080" into 8080.
  node[path[path.length - 1]!] = value;
}

/** Where the config comes from: a YAML file and/or the environment. */
export interface ConfigSource {
  /** Path of the YAML file (`IMBRIDGE_CONFIG` or `--config`). */
  file?: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * Loads, merges and validates the config: YAML file first, env overrides on top (an empty env var
 * counts as unset). Throws one `invalid_config` error listing every problem by key.
 */
export function loadConfig(source: ConfigSource = {}): Config {
  const env = source.env ?? process.env;
  const file = source.file ?? env['IMBRIDGE_CONFIG'];
  let tree: Tree = {};
  if (file) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new ImbridgeError('invalid_config', `cannot read config file ${file}: ${(err as Error).message}`, 500);
    }
    let parsed: unknown;
    try {
      parsed = parseYaml(text);
    } catch (err) {
      throw new ImbridgeError(
        'invalid_config',
        `config file ${file} is not valid YAML: ${(err as Error).message}`,
        500,
      );
    }
    if (parsed !== null && parsed !== undefined && (typeof parsed !== 'object' || Array.isArray(parsed))) {
      throw new ImbridgeError('invalid_config', `config file ${file} must hold a mapping of keys`, 500);
    }
    tree = (parsed ?? {}) as Tree;
  }
  for (const [name, path] of Object.entries(ENV_OVERRIDES)) {
    const value = envOverride(name, env);
    if (value !== undefined) setPath(tree, path, value);
  }
  try {
    return configSchema.validateSync(tree, { abortEarly: false, stripUnknown: false });
  } catch (err) {
    if (err instanceof ValidationError) {
      const problems = err.errors.map((e) => `  - ${e}`).join('\n');
      throw new ImbridgeError('invalid_config', `invalid config${file ? ` (${file})` : ''}:\n${problems}`, 500);
    }
    throw err;
  }
}

/**
 * The config with secrets masked, for `check-config` and start-up logs: tokens and secrets, the values
 * of static downstream headers (they usually carry credentials), and passwords inside URLs.
 */
export function redactConfig(config: Config): unknown {
  return JSON.parse(
    JSON.stringify(config, function (key, value) {
      if (SECRET_KEYS.has(key) && typeof value === 'string' && value) return '***';
      if (key === 'headers' && this === config.downstream)
        return Object.fromEntries(Object.keys(value).map((h) => [h, '***']));
      if (key === 'url' && typeof value === 'string') return redactURL(value);
      return value;
    }),
  );
}
