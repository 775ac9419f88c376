import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
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

  it('the container image runs them as PID 1 (exec form), as a non-root user, with a health check on /readyz', () => {
    const dockerfile = readFileSync('Dockerfile', 'utf8');
    const entrypoint = /^ENTRYPOINT (\[.*\])$/m.exec(dockerfile)?.[1];
    expect(entrypoint, 'the ENTRYPOINT in exec form').to.be.a('string');
    const command = JSON.parse(entrypoint!) as string[];
    expect(command[0]).to.equal('node');
    for (const flag of NODE_FLAGS) expect(command).to.include(flag);
    expect(command.at(-1)).to.equal('dist/src/cli.js');
    expect(dockerfile)
      .to.match(/^USER node$/m)
      .and.match(/^HEALTHCHECK [^]*?\/readyz/m);
    expect(dockerfile, 'the runtime stage takes production dependencies only').to.include('npm prune --omit=dev');
  });

  it('compose starts imbridge with a Redis outbox and the example backend', () => {
    const compose = parse(readFileSync('compose.yaml', 'utf8')) as {
      services: Record<string, { environment?: Record<string, string>; command?: string[] }>;
    };
    expect(Object.keys(compose.services).sort()).to.deep.equal(['backend', 'imbridge', 'redis']);
    expect(compose.services['imbridge']!.environment).to.include({
      OUTBOX_URL: 'redis://redis:6379/0',
      DOWNSTREAM_URL: 'http://backend:9000/hooks',
    });
    expect(compose.services['backend']!.command).to.deep.equal(['node', '/backend/server.mjs']);
    expect(readFileSync('examples/backend/server.mjs', 'utf8')).to.include('9000');
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
