// inertMarkdown and fencedCodeBlock, line by line with exact output: which `<` is escaped, which
// bare tag inside inline code is kept, how fences open and close, and how a backslash escape or a
// backtick run is read. The report-safety test renders a hostile sample end to end; these pin
// each rule so that one cannot silently stand in for another.
import * as assert from 'node:assert/strict';
import { inertMarkdown } from '../../../src/core/util/inertMarkdown';
import { fencedCodeBlock } from '../../../src/core/util/markdownFence';

describe('inert markdown, rule by rule', () => {
  it('turns every image into a link, also inside inline code', () => {
    assert.equal(inertMarkdown('a ![alt](https://x/p.png) b'), 'a [Image: alt](https://x/p.png) b');
    assert.equal(inertMarkdown('`![x](y)`'), '`[Image: x](y)`');
    assert.equal(inertMarkdown('wow! [link](u)'), 'wow! [link](u)', 'a ! not followed by [ stays');
    assert.equal(inertMarkdown('end!'), 'end!');
  });

  it('escapes each < that could open a tag, comment, declaration or closing tag', () => {
    assert.equal(inertMarkdown('<img src=x>'), '\\<img src=x>');
    assert.equal(inertMarkdown('</div>'), '\\</div>');
    assert.equal(inertMarkdown('<!-- c -->'), '\\<!-- c -->');
    assert.equal(inertMarkdown('<?php ?>'), '\\<?php ?>');
    assert.equal(inertMarkdown('<B>'), '\\<B>');
    assert.equal(inertMarkdown('1 < 2 <= 3 <'), '1 < 2 <= 3 <', 'a < before a space, = or the end opens nothing');
    assert.equal(inertMarkdown('<1>'), '<1>');
  });

  it('keeps a bare tag without attributes inside inline code only, and never a dangerous one', () => {
    assert.equal(inertMarkdown('`Array<string>` and Array<string>'), '`Array<string>` and Array\\<string>');
    assert.equal(inertMarkdown('`</b>`'), '`</b>`');
    assert.equal(inertMarkdown('`<my-tag2>`'), '`<my-tag2>`');
    assert.equal(inertMarkdown('`<img src=x>`'), '`\\<img src=x>`', 'attributes: escaped even in code');
    assert.equal(inertMarkdown('`<b >`'), '`\\<b >`');
    for (const tag of ['style', 'script', 'svg', 'math', 'template', 'noscript', 'iframe', 'object', 'embed', 'link', 'meta', 'base', 'xmp', 'plaintext', 'textarea', 'title', 'frameset']) {
      assert.equal(inertMarkdown(`\`<${tag}>\``), `\`\\<${tag}>\``, tag);
    }
    assert.equal(inertMarkdown('`<SCRIPT>`'), '`\\<SCRIPT>`', 'case-insensitive');
    assert.equal(inertMarkdown('`<br>` then <br>'), '`<br>` then \\<br>', 'only the part inside the span');
  });

  it('reads inline code spans by matching backtick runs on one line', () => {
    assert.equal(inertMarkdown('``a ` <b> ``'), '``a ` <b> ``', 'a double-backtick span holds a single backtick');
    assert.equal(inertMarkdown('`a`` <b>'), '`a`` \\<b>', 'runs of different length do not close each other');
    assert.equal(inertMarkdown('` <b>'), '` \\<b>', 'an unclosed backtick is not a span');
    assert.equal(inertMarkdown('`a` <b> `c`'), '`a` \\<b> `c`', 'between two spans is prose');
    assert.equal(inertMarkdown('```x``` <b> `<i>`'), '```x``` \\<b> `<i>`');
    assert.equal(inertMarkdown('`` `` `<i>`'), '`` `` `<i>`');
  });

  it('keeps backslash escapes as they are, outside code', () => {
    assert.equal(inertMarkdown('\\<b> \\![x](y)'), '\\<b> \\![x](y)');
    assert.equal(inertMarkdown('\\\\<b>'), '\\\\\\<b>', 'an escaped backslash does not escape the <');
    assert.equal(inertMarkdown('a\\'), 'a\\');
    assert.equal(inertMarkdown('\\`<b>`'), '\\`\\<b>`', 'an escaped backtick opens no span');
    assert.equal(inertMarkdown('`a\\` <b>'), '`a\\` \\<b>', 'inside code a backslash escapes nothing: the span closes');
    assert.equal(inertMarkdown('`\\![x](y)`'), '`\\[Image: x](y)`', 'nor does it protect an image in code');
  });

  it('leaves fenced code as written, closes it only with a matching fence, and closes one left open', () => {
    assert.equal(inertMarkdown('```\n<b>\n```\n<b>'), '```\n<b>\n```\n\\<b>');
    assert.equal(inertMarkdown('~~~\n<b>\n~~~~\n<b>'), '~~~\n<b>\n~~~~\n\\<b>', 'a longer closing fence closes');
    assert.equal(inertMarkdown('````\n<b>\n```\n<b>\n````'), '````\n<b>\n```\n<b>\n````', 'a shorter one does not');
    assert.equal(inertMarkdown('```\n<b>\n~~~\n<b>'), '```\n<b>\n~~~\n<b>\n```', 'the other fence character does not');
    assert.equal(inertMarkdown('```\n<b>\n``` js\n<b>'), '```\n<b>\n``` js\n<b>\n```', 'a closing fence has nothing after it');
    assert.equal(inertMarkdown('```\n<b>\n```   \n<b>'), '```\n<b>\n```   \n\\<b>', 'trailing spaces are allowed');
    assert.equal(inertMarkdown('   ```js\n<b>\n   ```\n<b>'), '   ```js\n<b>\n   ```\n\\<b>', 'up to three spaces of indent');
    assert.equal(inertMarkdown('    ```\n<b>'), '    ```\n\\<b>', 'four spaces: not a fence');
    assert.equal(inertMarkdown('``` a`b\n<b>'), '``` a`b\n\\<b>', 'a backtick fence whose info has a backtick is inline code');
    assert.equal(inertMarkdown('~~~ a`b\n<b>'), '~~~ a`b\n<b>\n~~~', 'a tilde fence may have one');
    assert.equal(inertMarkdown('``\n<b>'), '``\n\\<b>', 'two backticks open no fence');
  });

  it('reads CRLF line ends and writes LF', () => {
    assert.equal(inertMarkdown('<b>\r\n<i>'), '\\<b>\n\\<i>');
  });
});

describe('fenced code block', () => {
  it('uses three backticks, or one more than the longest run inside', () => {
    assert.equal(fencedCodeBlock('let a;'), '```\nlet a;\n```');
    assert.equal(fencedCodeBlock('x', 'ts'), '```ts\nx\n```');
    assert.equal(fencedCodeBlock('a `b` ``c``'), '```\na `b` ``c``\n```');
    assert.equal(fencedCodeBlock('```\ncode\n```'), '````\n```\ncode\n```\n````');
    assert.equal(fencedCodeBlock('x ````` y', 'md'), '``````md\nx ````` y\n``````');
  });
});
