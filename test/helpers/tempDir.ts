import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made: string[] = [];

/** Removes every directory `tempDir` made, when the test process ends however it ends. */
function removeAll(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A new directory under the system's temp dir (`imbridge-<label>-…`), removed when the test run ends. */
export function tempDir(label: string): string {
  if (made.length === 0) process.once('exit', removeAll);
  const dir = mkdtempSync(join(tmpdir(), `imbridge-${label}-`));
  made.push(dir);
  return dir;
}
