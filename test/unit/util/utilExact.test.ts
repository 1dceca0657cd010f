// The small util parts at their edges, with exact results: a token that is not cancelled leaves
// the signal alone; re-indentation with a lone CR, a blank line less indented than the code, a tab
// size of 0; inert markdown right at the end of a code span, a tag after an attribute tag in code,
// and backtick runs that do not close each other.
import * as assert from 'node:assert/strict';
import { withCancellation, type CancellationLike } from '../../../src/core/util/cancellation';
import { inertMarkdown } from '../../../src/core/util/inertMarkdown';
import { Lazy } from '../../../src/core/util/lazy';
import { cursorIndent, indentWidth, makeIndent, reindentForInsertion } from '../../../src/core/util/reindent';

const tabs = { insertSpaces: false, tabSize: 4 };

describe('util parts, exact', () => {
  it('leaves the signal alone while the token is not cancelled, and aborts it on cancel', async () => {
    let listener: (() => unknown) | undefined;
    let disposed = 0;
    const token: CancellationLike = {
      isCancellationRequested: false,
      onCancellationRequested: (l) => { listener = l; return { dispose: () => { disposed++; } }; },
    };
    const states = await withCancellation(token, async (signal) => {
      const before = signal.aborted;
      listener?.();
      return [before, signal.aborted];
    });
    assert.deepEqual(states, [false, true]);
    assert.equal(disposed, 1);
  });

  it('re-indents with a lone CR, a less indented blank line, and a tab size of 0', () => {
    assert.equal(reindentForInsertion('a\rb\r\n  c', '', tabs), 'a\nb\n  c');
    assert.equal(reindentForInsertion('    a\n  \n    b', '>', tabs), 'a\n\n>b', 'a blank line does not lower the common indentation');
    assert.equal(reindentForInsertion('a\n\n', '', tabs), 'a\n', 'only one trailing newline is dropped');
    assert.equal(reindentForInsertion('\n  \n', '>', tabs), '\n', 'blank lines only');
    assert.equal(reindentForInsertion('  a\n      b', '\t', { insertSpaces: false, tabSize: 0 }), 'a\n\t    b', 'tab size 0: spaces');
    assert.equal(makeIndent(6, { insertSpaces: false, tabSize: 0 }), '      ');
    assert.equal(makeIndent(3, tabs), '   ');
    assert.equal(makeIndent(8, tabs), '\t\t');
    assert.equal(makeIndent(0, tabs), '');
    assert.equal(indentWidth(' \t', 4), 4);
    assert.equal(indentWidth('\t\t', 3), 6);
    assert.equal(indentWidth('', 4), 0);
    assert.equal(cursorIndent('  x  ', 10), '  ');
    assert.equal(cursorIndent(' \t x', 0), '');
    assert.equal(cursorIndent('x  ', 3), '');
  });

  it('treats the character right after a code span as prose', () => {
    assert.equal(inertMarkdown('`x`<b>'), '`x`\\<b>');
    assert.equal(inertMarkdown('`<b>`<b>'), '`<b>`\\<b>');
    assert.equal(inertMarkdown('`x`\\<b>'), '`x`\\<b>', 'a backslash right after a span escapes');
    assert.equal(inertMarkdown('`\\`<b>`'), '`\\`\\<b>`');
  });

  it('keeps a bare tag in code only when it is the tag at that <', () => {
    assert.equal(inertMarkdown('`<a b><i>`'), '`\\<a b><i>`');
    assert.equal(inertMarkdown('<a/>'), '\\<a/>');
    assert.equal(inertMarkdown('<> <!'), '<> \\<!');
    assert.equal(inertMarkdown('```\r<b>'), '```\r\\<b>', 'a fence line must end where the line ends');
    assert.equal(inertMarkdown('```x\u2028<b>'), '```x\u2028\\<b>');
  });

  it('matches backtick runs of equal length only, skipping longer and shorter ones', () => {
    assert.equal(inertMarkdown('`a`` `<b>`'), '`a`` `\\<b>`', 'a double run inside a single-backtick span is skipped whole');
    assert.equal(inertMarkdown('``a` <b> `'), '``a` <b> `', 'an unclosed double run is text; the single ones pair');
    assert.equal(inertMarkdown('`` a `` <b> ``'), '`` a `` \\<b> ``');
    assert.equal(inertMarkdown('x ```<b>``` y'), 'x ```<b>``` y', 'a span of three backticks covers what its closer follows');
    assert.equal(inertMarkdown('x `` a ``` <i> `` y'), 'x `` a ``` <i> `` y', 'a run of three inside a double-backtick span is skipped whole');
    assert.equal(inertMarkdown('~~~~\n<b>\n~~~\n<i>'), '~~~~\n<b>\n~~~\n<i>\n~~~~');
    assert.equal(inertMarkdown('```\n<b>\n```\n'), '```\n<b>\n```\n');
  });

  it('Lazy keeps a falsy part as built', () => {
    let builds = 0;
    const lazy = new Lazy<number>(() => { builds++; return 0; }, () => undefined);
    assert.equal(lazy.get(), 0);
    assert.equal(lazy.get(), 0);
    assert.equal(builds, 1);
    const seen: number[] = [];
    lazy.onBuilt((v) => seen.push(v));
    assert.deepEqual(seen, [0]);
  });
});
