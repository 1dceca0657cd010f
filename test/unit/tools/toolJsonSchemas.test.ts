// The tools' JSON schemas (src/core/tools/toolJsonSchemas.ts) are generated from their zod schemas
// and committed, so the extension bundle does without zod's JSON Schema generator. This keeps the
// two in step: it fails when a zod schema changes and the file was not regenerated.
// Regenerate: UPDATE_TOOL_SCHEMAS=1 npx mocha --config .mocharc.json test/unit/tools/toolJsonSchemas.test.ts
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as z from '../../../src/shared/zod';
import { customToolNames, inputJsonSchema, toolSpecs } from '../../../src/core/tools/definitions';

const FILE = path.resolve(__dirname, '../../../src/core/tools/toolJsonSchemas.ts');

/** z.int() adds `maximum: 2^53-1`; it says nothing to the model and costs tokens on every request. */
function dropSafeIntegerBounds(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(dropSafeIntegerBounds);
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if ((key === 'maximum' && value === Number.MAX_SAFE_INTEGER) || (key === 'minimum' && value === Number.MIN_SAFE_INTEGER)) continue;
    out[key] = dropSafeIntegerBounds(value);
  }
  return out;
}

function generated(): Record<string, unknown> {
  return Object.fromEntries(customToolNames.map((name) => {
    const json = z.toJSONSchema(toolSpecs[name].schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
    delete json.$schema;
    return [name, dropSafeIntegerBounds(json)];
  }));
}

function fileText(schemas: Record<string, unknown>): string {
  return `// Generated from the zod schemas in definitions.ts by test/unit/tools/toolJsonSchemas.test.ts, which
// fails when the two differ (regenerate: UPDATE_TOOL_SCHEMAS=1 npx mocha --config .mocharc.json
// test/unit/tools/toolJsonSchemas.test.ts). Data, so the bundle needs no JSON Schema generator.
import type { CustomToolName } from './definitions';

export const toolJsonSchemas: Record<CustomToolName, Record<string, unknown>> = ${JSON.stringify(schemas, null, 2)};
`;
}

describe('tool JSON schemas (generated from the zod schemas)', () => {
  it('the committed file matches what zod generates from the tool schemas', () => {
    const expected = fileText(generated());
    if (process.env.UPDATE_TOOL_SCHEMAS === '1') writeFileSync(FILE, expected);
    assert.equal(readFileSync(FILE, 'utf8'), expected, 'toolJsonSchemas.ts is stale: regenerate it (see the top of this test)');
  });

  it('hands out copies: a caller changing one cannot change the next request', () => {
    const first = inputJsonSchema('read_file');
    (first.properties as Record<string, unknown>).path = 'changed';
    assert.notEqual((inputJsonSchema('read_file').properties as Record<string, unknown>).path, 'changed');
    assert.deepEqual(Object.keys(generated()), [...customToolNames]);
  });
});
