// The catalogue must match the seed schema exactly, and the request rules are checked for every
// model id the schema lists, using the schema's own shapes (which ids take sampling parameters,
// each shape's max_tokens default).
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { closestModelId, findModel, listModels, MODEL_IDS, validateRequest } from '../../../src/core/api/models';
import type { MessagesRequest } from '../../../src/core/api/types';

interface SchemaShape { properties: Record<string, { enum?: string[]; default?: number }> }
const openapi = JSON.parse(readFileSync(join(__dirname, '..', '..', 'fixtures', 'api', 'messages-openapi.json'), 'utf8'));
const shapes: SchemaShape[] = openapi.paths['/v1/messages'].post.requestBody.content['application/json'].schema.anyOf;
const schemaModels = shapes.flatMap((shape) => (shape.properties.model.enum ?? []).map((id) => ({
  id,
  acceptsSampling: 'temperature' in shape.properties && 'top_p' in shape.properties && 'top_k' in shape.properties,
  maxTokensDefault: shape.properties.max_tokens.default as number,
})));

const base = (model: string, extra: Partial<MessagesRequest> = {}): MessagesRequest => ({
  model, max_tokens: 1024, messages: [{ role: 'user', content: 'Hi' }], ...extra,
});

describe('model catalogue', () => {
  it('holds exactly the 36 ids of the seed schema', () => {
    assert.equal(schemaModels.length, 36);
    assert.deepEqual([...MODEL_IDS].sort(), schemaModels.map((model) => model.id).sort());
  });

  it('listModels(): one entry per model, recommended first, every entry a catalogue id', () => {
    const listed = listModels();
    assert.deepEqual(listed.slice(0, 3).map((model) => model.id), ['claude-sonnet-4-6', 'claude-opus-4-7', 'claude-haiku-4-5']);
    const labels = listed.map((model) => model.label);
    assert.equal(new Set(labels).size, labels.length, 'duplicate labels');
    assert.deepEqual(labels, ['Claude Sonnet 4.6', 'Claude Opus 4.7', 'Claude Haiku 4.5', 'Claude Opus 4.6', 'Claude Sonnet 4.5', 'Claude Opus 4.5', 'Claude Opus 4.1', 'Claude Sonnet 4', 'Claude Opus 4']);
    for (const model of listed) assert.ok(findModel(model.id), model.id);
  });

  it('suggests the closest id for a typo', () => {
    assert.equal(closestModelId('claude-sonet-4-6'), 'claude-sonnet-4-6');
    assert.equal(closestModelId('claude-opus-4.7'), 'claude-opus-4-7');
  });
});

describe('request rules for every model id in the schema', () => {
  for (const schemaModel of schemaModels) {
    const { id } = schemaModel;
    describe(id, () => {
      const info = findModel(id)!;

      it('has the schema shape: sampling and max_tokens default', () => {
        assert.ok(info, 'missing from the catalogue');
        assert.equal(info.acceptsSampling, schemaModel.acceptsSampling);
        assert.equal(info.defaultMaxTokens, schemaModel.maxTokensDefault);
        assert.match(info.label, /^Claude (Opus|Sonnet|Haiku) 4(\.\d)?/);
      });

      it('accepts a plain request and one at its max_tokens limit', () => {
        assert.deepEqual(validateRequest(base(id)), []);
        assert.deepEqual(validateRequest(base(id, { max_tokens: schemaModel.maxTokensDefault })), []);
      });

      it('rejects max_tokens above its limit, below 1, missing or fractional', () => {
        assert.match(validateRequest(base(id, { max_tokens: schemaModel.maxTokensDefault + 1 })).join(), new RegExp(`above the ${schemaModel.maxTokensDefault}`));
        assert.match(validateRequest(base(id, { max_tokens: 0 })).join(), /at least 1/);
        assert.match(validateRequest(base(id, { max_tokens: 10.5 })).join(), /whole number/);
        assert.match(validateRequest({ ...base(id), max_tokens: undefined as unknown as number }).join(), /missing/);
      });

      if (schemaModel.acceptsSampling) {
        it('accepts temperature, top_p, top_k in range and rejects them out of range', () => {
          assert.deepEqual(validateRequest(base(id, { temperature: 0, top_p: 1, top_k: 0 })), []);
          assert.deepEqual(validateRequest(base(id, { temperature: 1, top_p: 0.5, top_k: 40 })), []);
          assert.match(validateRequest(base(id, { temperature: 1.2 })).join(), /Temperature must be between 0 and 1/);
          assert.match(validateRequest(base(id, { temperature: -0.1 })).join(), /Temperature must be between 0 and 1/);
          assert.match(validateRequest(base(id, { top_p: 1.5 })).join(), /top_p must be between 0 and 1/);
          assert.match(validateRequest(base(id, { top_k: -1 })).join(), /top_k must be 0 or more/);
        });

        it('rejects changed sampling while thinking is on', () => {
          const thinking = { type: 'enabled' as const, budget_tokens: 2048 };
          assert.deepEqual(validateRequest(base(id, { max_tokens: 4096, thinking })), []);
          assert.match(validateRequest(base(id, { max_tokens: 4096, thinking, temperature: 0.5 })).join(), /Temperature cannot be changed while extended thinking is on/);
          assert.match(validateRequest(base(id, { max_tokens: 4096, thinking, top_k: 5 })).join(), /top_k cannot be set/);
        });
      } else {
        it('rejects temperature, top_p and top_k, naming the model', () => {
          for (const extra of [{ temperature: 0.5 }, { top_p: 0.9 }, { top_k: 10 }, { temperature: 1, top_p: 1, top_k: 1 }]) {
            const problems = validateRequest(base(id, extra));
            assert.equal(problems.length, 1, JSON.stringify(problems));
            assert.ok(problems[0].includes(id) && problems[0].includes('Claude Opus 4.7'), problems[0]);
            for (const key of Object.keys(extra)) assert.ok(problems[0].includes(key), `${key} not named: ${problems[0]}`);
          }
        });
      }

      it('checks the thinking budget against 1024 and max_tokens', () => {
        assert.match(validateRequest(base(id, { max_tokens: 4096, thinking: { type: 'enabled', budget_tokens: 1000 } })).join(), /at least 1024/);
        assert.match(validateRequest(base(id, { max_tokens: 4096, thinking: { type: 'enabled', budget_tokens: 4096 } })).join(), /must be less than max tokens/);
        assert.deepEqual(validateRequest(base(id, { max_tokens: 4096, thinking: { type: 'enabled', budget_tokens: 1024 } })), []);
      });
    });
  }
});

describe('request rules independent of the model', () => {
  it('names an unknown model and suggests the closest one', () => {
    assert.deepEqual(validateRequest(base('claude-sonnet-4.6')), ['The model "claude-sonnet-4.6" is not one the AI/ML API offers here. Did you mean "claude-sonnet-4-6"?']);
  });

  it('rejects an empty conversation, one that starts with the assistant, and empty turns', () => {
    assert.match(validateRequest(base('claude-sonnet-4-6', { messages: [] })).join(), /no message/);
    assert.match(validateRequest(base('claude-sonnet-4-6', { messages: [{ role: 'assistant', content: 'Hi' }, { role: 'user', content: 'x' }] })).join(), /start with a user message/);
    assert.match(validateRequest(base('claude-sonnet-4-6', { messages: [{ role: 'user', content: '' }] })).join(), /Message 1 \(user\) is empty/);
  });

  it('allows consecutive turns of one role (the API merges them) and a final empty assistant prefill', () => {
    assert.deepEqual(validateRequest(base('claude-sonnet-4-6', { messages: [{ role: 'user', content: 'a' }, { role: 'user', content: 'b' }, { role: 'assistant', content: '' }] })), []);
  });

  it('rejects forcing a tool that was not sent, and forcing tools while thinking', () => {
    assert.match(validateRequest(base('claude-sonnet-4-6', { tool_choice: { type: 'tool', name: 'read_file' } })).join(), /forces the tool "read_file"/);
    assert.match(validateRequest(base('claude-sonnet-4-6', { max_tokens: 4096, thinking: { type: 'enabled', budget_tokens: 2048 }, tool_choice: { type: 'any' } })).join(), /forces a tool call/);
  });
});
