import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const tracked = execFileSync('git', ['ls-files'], { cwd: root, encoding: 'utf8' }).split('\n').filter(Boolean);
const markdown = tracked.filter((f) => f.endsWith('.md'));
const code = tracked.filter((f) => /\.(ts|js|yaml|yml|json|cjs)$/.test(f) && f !== 'package-lock.json');

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

const anchorsCache = new Map<string, Set<string>>();
function anchors(file: string): Set<string> {
  let known = anchorsCache.get(file);
  if (!known) {
    const headings = readFileSync(join(root, file), 'utf8')
      .split('\n')
      .filter((l) => /^#{1,6} /.test(l))
      .map((l) => slug(l.replace(/^#+ /, '')));
    anchorsCache.set(file, (known = new Set(headings)));
  }
  return known;
}

/** What is wrong with a reference to `target` (a repo path, maybe with #anchor), or undefined. */
function broken(target: string): string | undefined {
  const [path, anchor] = target.split('#') as [string, string | undefined];
  if (!existsSync(join(root, path))) return `${path} does not exist`;
  if (anchor && path.endsWith('.md') && !anchors(path).has(anchor)) return `${path} has no heading #${anchor}`;
  return undefined;
}

describe('docs: every link and reference resolves inside the repo', () => {
  it('the README stays a quick start and a map (at most 15 KB)', () => {
    expect(statSync(join(root, 'README.md')).size).to.be.at.most(15 * 1024);
  });

  it('every relative link in the Markdown files points at a file (and heading) of the repo', () => {
    const problems: string[] = [];
    for (const file of markdown) {
      const text = readFileSync(join(root, file), 'utf8');
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/.test(target!)) continue;
        const resolved = target!.startsWith('#')
          ? `${file}${target}`
          : relative(root, join(root, dirname(file), target!));
        const problem = broken(resolved);
        if (problem) problems.push(`${file}: (${target}) — ${problem}`);
      }
    }
    expect(problems).to.deep.equal([]);
  });

  it('every docs/… page cited in code exists and has the heading cited', () => {
    const problems: string[] = [];
    for (const file of code) {
      const text = readFileSync(join(root, file), 'utf8');
      for (const [ref] of text.matchAll(/docs\/[\w/.-]+\.md(?:#[\w-]+)?/g)) {
        const problem = broken(ref);
        if (problem) problems.push(`${file}: ${ref} — ${problem}`);
      }
    }
    expect(problems).to.deep.equal([]);
  });

  it('nothing points outside the repo at notes it does not carry', () => {
    const outside = [...markdown, ...code].filter((f) =>
      /\.\.\/shared|[TO]§\d|DESIGN\.md/.test(readFileSync(join(root, f), 'utf8')),
    );
    expect(outside.filter((f) => f !== 'test/docs.test.ts')).to.deep.equal([]);
  });
});
