// The cheapest exact way to read the two events that make up nearly every byte of a stream. The API
// writes a text or tool-input delta in one fixed spelling,
//   {"type":"content_block_delta","index":N,"delta":{"type":"text_delta","text":"…"}}
// and for such data all that JSON.parse of the whole event would find out is the string at the end.
// So when the data is spelled exactly so (no spaces, keys in this order, N a plain non-negative
// integer), only that string literal is parsed: JSON.parse of a slice of the data, which checks the
// escapes, control characters and quotes just as parsing the whole event would. Anything else (other
// spacing, an extra key, a bad escape) returns undefined and takes the full path (JSON.parse, then
// the schemas) with its precise errors. This path accepts a subset of what that path accepts and
// gives the same event for it (test/unit/api/deltaLiteral.test.ts compares them on hostile data).
import type { StreamEvent } from './types';

/**
 * Everything up to the opening quote of the delta's string. The index follows JSON's integer
 * grammar without sign, fraction or exponent ("0", or no leading zero), at most six digits (block
 * indexes are small; anything else takes the full path and its integer checks).
 * Measured: one regular expression is several times cheaper here than startsWith comparisons.
 */
const HEAD = /\{"type":"content_block_delta","index":(?:0|[1-9][0-9]{0,5}),"delta":\{"type":"(?:text_delta","text|input_json_delta","partial_json)":"/y;
const INDEX_START = '{"type":"content_block_delta","index":'.length;
/** The head of a text delta ends in `"text":"`, a tool input's in `"partial_json":"`: 't' or 'n' here. */
const KEY_LAST_CHAR_FROM_END = 4;
const LOWER_T = 116;
const CLOSE_BRACE = 125;
const COMMA = 44;
const DIGIT_0 = 48;

/** The event for data spelled exactly as the API writes deltas, or undefined for the full path. */
export function literalDelta(data: string): StreamEvent | undefined {
  // Sticky (anchored at lastIndex 0) and tested, not executed: no match object per event. The head
  // ends at lastIndex.
  HEAD.lastIndex = 0;
  if (!HEAD.test(data)) return undefined;
  const headEnd = HEAD.lastIndex;
  const end = data.length;
  if (data.charCodeAt(end - 1) !== CLOSE_BRACE || data.charCodeAt(end - 2) !== CLOSE_BRACE) return undefined;
  // From the head's opening quote to the character before the two braces, which must be the
  // closing quote: JSON.parse checks that, as it checks everything between the two.
  const value = stringLiteral(data.slice(headEnd - 1, end - 2));
  if (value === undefined) return undefined;
  let index = 0;
  for (let at = INDEX_START, code = data.charCodeAt(at); code !== COMMA; code = data.charCodeAt(++at)) index = index * 10 + code - DIGIT_0;
  return data.charCodeAt(headEnd - KEY_LAST_CHAR_FROM_END) === LOWER_T
    ? { type: 'content_block_delta', index, delta: { type: 'text_delta', text: value } }
    : { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: value } };
}

/** The string a JSON string literal (its quotes included) stands for, or undefined if it is not one. */
function stringLiteral(literal: string): string | undefined {
  // The slice starts and ends with a quote; it parses as one string only if no unescaped quote is
  // inside it, so a literal that parses is exactly the last value of the event.
  try {
    return JSON.parse(literal) as string;
  } catch
  // Stryker disable next-line BlockStatement: equivalent: an empty catch returns undefined all the same (here, where Babel makes it the catch body's own comment)
  {
    return undefined;
  }
}
