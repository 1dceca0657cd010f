import { strict as assert } from 'node:assert';
import { warmUpInIdleTime, warmUpLanguages, warmUpSample } from '../../../webview/markdown/warmUp';

describe('markdown warm-up in idle time', () => {
  it('renders one sample per language, each in an idle callback of its own, one after the other', () => {
    const queue: (() => void)[] = [];
    const rendered: string[] = [];
    warmUpInIdleTime((source) => rendered.push(source), (callback) => queue.push(callback));
    // Nothing runs at once: the first callback only is asked for.
    assert.deepEqual(rendered, []);
    assert.equal(queue.length, 1);
    for (let n = 0; n < warmUpLanguages.length; n++) {
      const next = queue.shift();
      assert.ok(next, `no callback for ${warmUpLanguages[n]}`);
      next();
      assert.equal(rendered.length, n + 1);
      assert.equal(queue.length, n + 1 < warmUpLanguages.length ? 1 : 0, 'one callback asked for at a time');
    }
    assert.deepEqual(rendered, warmUpLanguages.map(warmUpSample));
  });

  it('fences each sample in its language, after the constructs an answer uses', () => {
    for (const language of warmUpLanguages) {
      const sample = warmUpSample(language);
      assert.ok(sample.includes('\n```' + language + '\n'), language);
      for (const construct of ['## ', '**', '`inline code`', '](https://', '\n- ', '\n1. ', '\n> ', '| - |']) assert.ok(sample.includes(construct), `${language}: ${construct}`);
    }
  });
});
