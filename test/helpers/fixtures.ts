import { readFileSync } from 'node:fs';

/** A vendor fixture's exact bytes (test/fixtures/<vendor>/<name>.json). */
export function fixture(vendor: 'tencent' | 'openim', name: string): string {
  return readFileSync(new URL(`../fixtures/${vendor}/${name}.json`, import.meta.url), 'utf8');
}

/** A vendor fixture, parsed. */
export function fixtureJson(vendor: 'tencent' | 'openim', name: string): Record<string, unknown> {
  return JSON.parse(fixture(vendor, name)) as Record<string, unknown>;
}
