import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { NODE_FLAGS, withNodeFlags } from '../src/runtime.js';

describe('runtime: the node flags imbridge runs with', () => {
  it('npm start uses them', () => {
    const start = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts[
      'start'
    ]!;
    for (const flag of NODE_FLAGS) expect(start.split(' '), start).to.include(flag);
  });

  it('the Kubernetes example uses them', () => {
    const manifest = readFileSync('deploy/kubernetes.yaml', 'utf8');
    const command = /command: (\[.*?\])/.exec(manifest)?.[1];
    expect(command, 'the container command').to.be.a('string');
    for (const flag of NODE_FLAGS) expect(JSON.parse(command!) as string[]).to.include(flag);
  });

  it('adds them to what a worker inherits, keeping the rest', () => {
    expect(withNodeFlags(['--import', 'tsx'])).to.deep.equal(['--import', 'tsx', ...NODE_FLAGS]);
  });

  it("keeps the operator's own value for a flag, however spelled", () => {
    const others = (given: string) => NODE_FLAGS.filter((f) => !f.startsWith(given));
    expect(withNodeFlags(['--max-old-space-size=2048'])).to.deep.equal([
      '--max-old-space-size=2048',
      ...others('--max-old-space-size'),
    ]);
    expect(withNodeFlags(['--max_old_space_size=2048'])).to.deep.equal([
      '--max_old_space_size=2048',
      ...others('--max-old-space-size'),
    ]);
    expect(withNodeFlags(['--no-liftoff-only'])).to.deep.equal(['--no-liftoff-only', ...others('--liftoff-only')]);
  });
});
