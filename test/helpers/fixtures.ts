import { readdirSync, readFileSync } from 'node:fs';

/** A vendor fixture's exact bytes (test/fixtures/<vendor>/<name>.json). */
export function fixture(vendor: 'tencent' | 'openim', name: string): string {
  return readFileSync(new URL(`../fixtures/${vendor}/${name}.json`, import.meta.url), 'utf8');
}

/** A vendor fixture, parsed. */
export function fixtureJson(vendor: 'tencent' | 'openim', name: string): Record<string, unknown> {
  return JSON.parse(fixture(vendor, name)) as Record<string, unknown>;
}

/**
 * Every request fixture of a vendor: `name` is the file name (variants are `<variant>.<Command>`,
 * replies `<Command>.reply` and are left out), `command` the callback command it is sent as.
 */
export function requestFixtures(vendor: 'tencent' | 'openim'): { name: string; command: string; raw: string }[] {
  return readdirSync(new URL(`../fixtures/${vendor}/`, import.meta.url))
    .map((f) => f.replace(/\.json$/, ''))
    .filter((name) => !name.endsWith('.reply'))
    .map((name) => ({
      name,
      command: name
        .split('.')
        .slice(vendor === 'tencent' ? -2 : -1)
        .join('.'),
      raw: fixture(vendor, name),
    }));
}
