import assert from 'node:assert/strict';
import { cursorIndent, indentWidth, makeIndent, reindentForInsertion } from '../../../src/core/util/reindent';

const spaces = { insertSpaces: true, tabSize: 4 };
const tabs = { insertSpaces: false, tabSize: 4 };

describe('Insert at cursor re-indentation', () => {
  it('puts the first line at the cursor and prefixes later lines with the cursor line\'s indentation', () => {
    const code = 'if (ready) {\n  start();\n}\n';
    assert.equal(reindentForInsertion(code, '    ', { insertSpaces: true, tabSize: 2 }), 'if (ready) {\n      start();\n    }');
  });

  it('removes the block\'s common indentation first', () => {
    const code = '        def run():\n            return 1\n';
    assert.equal(reindentForInsertion(code, '  ', spaces), 'def run():\n      return 1');
  });

  it('writes the remaining indentation with tabs when the editor uses tabs', () => {
    const code = 'function f() {\n    if (x) {\n        y();\n    }\n}';
    assert.equal(reindentForInsertion(code, '\t', tabs), 'function f() {\n\t\tif (x) {\n\t\t\ty();\n\t\t}\n\t}');
  });

  it('turns tab indentation in the block into spaces when the editor uses spaces', () => {
    assert.equal(reindentForInsertion('a:\n\tb\n\t\tc', '', { insertSpaces: true, tabSize: 2 }), 'a:\n  b\n    c');
  });

  it('keeps blank lines empty and handles CRLF and a block with no trailing newline', () => {
    assert.equal(reindentForInsertion('  one\r\n\r\n    two', '\t', tabs), 'one\n\n\t  two');
  });

  it('leaves a single line unchanged apart from its own indentation', () => {
    assert.equal(reindentForInsertion('   x = 1\n', '        ', spaces), 'x = 1');
    assert.equal(reindentForInsertion('', '  ', spaces), '');
  });

  it('takes the cursor line\'s indentation, capped at the cursor column', () => {
    assert.equal(cursorIndent('    return x;', 11), '    ');
    assert.equal(cursorIndent('        ', 4), '    ');
    assert.equal(cursorIndent('\t\tfoo', 1), '\t');
    assert.equal(cursorIndent('foo', 3), '');
  });

  it('measures tabs to the next tab stop and builds indentation in either style', () => {
    assert.equal(indentWidth('  \t', 4), 4);
    assert.equal(indentWidth('\t ', 4), 5);
    assert.equal(makeIndent(6, tabs), '\t  ');
    assert.equal(makeIndent(6, spaces), '      ');
  });
});
