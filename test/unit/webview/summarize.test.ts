import { strict as assert } from 'node:assert';
import { summarize, summaryLength } from '../../../webview/format';

/** The definition: the whole text collapsed, then cut. */
function summarizeWhole(text: string, limit = summaryLength): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= limit) return flat;
  const cut = flat.slice(0, limit);
  const lastSpace = cut.lastIndexOf(' ');
  return `${(lastSpace > limit / 2 ? cut.slice(0, lastSpace) : cut).trimEnd()}…`;
}

describe('summarize (the announcement of a finished answer)', () => {
  it('collapses whitespace and cuts at a word with an ellipsis', () => {
    assert.equal(summarize('  Hello\n\n  world  '), 'Hello world');
    const long = Array.from({ length: 100 }, (_, n) => `word${n}`).join(' \n ');
    const summary = summarize(long);
    assert.ok(summary.endsWith('…'));
    assert.ok(summary.length <= summaryLength + 1);
    assert.ok(long.replace(/\s+/g, ' ').startsWith(summary.slice(0, -1)));
    assert.equal(summarize('x'.repeat(500)), `${'x'.repeat(200)}…`);
  });

  it('gives what collapsing the whole text gives, whatever whitespace the start holds', () => {
    let seed = 7;
    const random = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
    const pieces = ['a', 'word', ' ', '\n', '\n\n', '\t', '          ', 'longerword', '`code`'];
    const cases = [
      '', ' ', '\n'.repeat(5000), `${' '.repeat(3000)}answer`, `${'\n '.repeat(4000)}${'text '.repeat(100)}`,
      'x'.repeat(200), 'x'.repeat(201), `${'x'.repeat(199)} y`, `${' '.repeat(799)}${'z'.repeat(300)}`,
    ];
    for (let n = 0; n < 300; n++) {
      let text = '';
      const length = Math.floor(random() * 400);
      for (let i = 0; i < length; i++) text += pieces[Math.floor(random() * pieces.length)].repeat(random() < 0.05 ? 200 : 1);
      cases.push(text);
    }
    for (const text of cases) {
      for (const limit of [summaryLength, 10, 1]) assert.equal(summarize(text, limit), summarizeWhole(text, limit), JSON.stringify(text.slice(0, 80)));
    }
  });
});
