import * as assert from 'node:assert/strict';
import { Lazy } from '../../../src/core/util/lazy';

describe('Lazy (parts built on first use)', () => {
  it('builds nothing until get(), then builds once', () => {
    let builds = 0;
    const lazy = new Lazy(() => ({ n: ++builds }), () => assert.fail('no failure expected'));
    assert.equal(builds, 0);
    assert.equal(lazy.built, undefined);
    const first = lazy.get();
    assert.equal(lazy.get(), first);
    assert.equal(builds, 1);
    assert.equal(lazy.built, first);
  });

  it('runs onBuilt listeners once, before get() returns, and at once when already built', () => {
    const order: string[] = [];
    const lazy = new Lazy<string>(() => 'part', () => undefined);
    lazy.onBuilt((value) => order.push(`early ${value}`));
    assert.equal(order.length, 0, 'not built yet');
    order.push(`got ${lazy.get()}`);
    lazy.get();
    lazy.onBuilt((value) => order.push(`late ${value}`));
    assert.deepEqual(order, ['early part', 'got part', 'late part']);
  });

  it('reports a failed build and throws it from every later get(), without building again', () => {
    const reported: string[] = [];
    let builds = 0;
    const lazy = new Lazy<string>(() => { builds++; throw new Error('no disk'); }, (error) => reported.push(error.message));
    assert.throws(() => lazy.get(), /no disk/);
    assert.throws(() => lazy.get(), /no disk/);
    assert.equal(builds, 1);
    assert.deepEqual(reported, ['no disk', 'no disk']);
    assert.equal(lazy.built, undefined);
  });

  it('reports a failing listener as a failed build (the part is not half-wired later)', () => {
    const reported: string[] = [];
    const lazy = new Lazy<string>(() => 'part', (error) => reported.push(error.message));
    lazy.onBuilt(() => { throw new Error('wiring failed'); });
    assert.throws(() => lazy.get(), /wiring failed/);
    assert.deepEqual(reported, ['wiring failed']);
    assert.equal(lazy.built, undefined);
  });

  it('wraps a thrown non-error in an Error', () => {
    const lazy = new Lazy<string>(() => { throw 'text'; }, () => undefined);
    assert.throws(() => lazy.get(), (error: unknown) => error instanceof Error && error.message === 'text');
  });
});
