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
const HEAD = /^\{"type":"content_block_delta","index":(0|[1-9][0-9]{0,5}),"delta":\{"type":"(?:text_delta","text|(input_json_delta)","partial_json)":"/;
const CLOSE_BRACE = 125;

/** The event for data spelled exactly as the API writes deltas, or undefined for the full path. */
export function literalDelta(data: string): StreamEvent | undefined {
  const head = HEAD.exec(data);
  if (!head) return undefined;
  const end = data.length;
  if (data.charCodeAt(end - 1) !== CLOSE_BRACE || data.charCodeAt(end - 2) !== CLOSE_BRACE) return undefined;
  // From the head's opening quote to the character before the two braces, which must be the
  // closing quote: JSON.parse checks that, as it checks everything between the two.
  const value = stringLiteral(data.slice(head[0].length - 1, end - 2));
  if (value === undefined) return undefined;
  const index = Number(head[1]);
  return head[2] === undefined
    ? { type: 'content_block_delta', index, delta: { type: 'text_delta', text: value } }
    : { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: value } };
}

/** The string a JSON string literal (its quotes included) stands for, or undefined if it is not one. */
function stringLiteral(literal: string): string | undefined {
  // The slice starts and ends with a quote; it parses as one string only if no unescaped quote is
  // inside it, so a literal that parses is exactly the last value of the event.
  try {
    return JSON.parse(literal) as string;
  } catch {
    return undefined;
  }
}
