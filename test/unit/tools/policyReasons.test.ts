// The approval policy's exact decisions, reasons included: each rule names itself, so a test can
// tell which one fired (issue 17: the action alone let one rule stand in for another).
import * as assert from 'node:assert/strict';
import { decideApproval, toolOverride, toolsOffReason, TOOLS_OFF_NOTICES, type CallFacts, type ToolPolicySettings } from '../../../src/core/tools/policy';

const base: ToolPolicySettings = { toolsEnabled: true, workspaceTrusted: true, autoApproveReads: true, autoApplyEdits: false, toolApproval: {}, secretFilePatterns: [] };
const facts = (approvalClass: CallFacts['approvalClass'], alwaysAskReason?: string): CallFacts => ({ toolNames: ['the_tool', 'its_twin'], approvalClass, alwaysAskReason });

describe('tools: approval policy, exact decisions', () => {
  const cases: Array<[string, Partial<ToolPolicySettings>, CallFacts, ReturnType<typeof decideApproval>]> = [
    ['Restricted Mode', { workspaceTrusted: false, toolsEnabled: false }, facts('read'), { action: 'refuse', reason: TOOLS_OFF_NOTICES.restricted }],
    ['tools off', { toolsEnabled: false }, facts('read'), { action: 'refuse', reason: TOOLS_OFF_NOTICES.disabled }],
    ['never, named by the first name', { toolApproval: { its_twin: 'never' } }, facts('read', 'secret'), { action: 'refuse', reason: 'the user turned the_tool off (setting aimlChat.tools.approval)' }],
    ['always ask', { toolApproval: { the_tool: 'auto' } }, facts('edit', 'why not'), { action: 'ask', reason: 'why not' }],
    ['commands, even with auto', { toolApproval: { the_tool: 'auto' } }, facts('command'), { action: 'ask', reason: 'commands ask before they run' }],
    ['commands with auto reads and edits', { autoApplyEdits: true }, facts('command'), { action: 'ask', reason: 'commands ask before they run' }],
    ['per-tool auto', { toolApproval: { the_tool: 'auto' }, autoApproveReads: false }, facts('read'), { action: 'run' }],
    ['per-tool ask', { toolApproval: { its_twin: 'ask' } }, facts('read'), { action: 'ask', reason: 'the_tool is set to ask (aimlChat.tools.approval)' }],
    ['reads ask', { autoApproveReads: false }, facts('read'), { action: 'ask', reason: 'reads ask first (aimlChat.tools.autoApproveReads is off)' }],
    ['reads run', {}, facts('read'), { action: 'run' }],
    ['edits ask', { autoApproveReads: true }, facts('edit'), { action: 'ask', reason: 'review the proposed edit' }],
    ['edits run', { autoApplyEdits: true, autoApproveReads: false }, facts('edit'), { action: 'run' }],
  ];
  for (const [name, overrides, callFacts, expected] of cases) {
    it(name, () => assert.deepEqual(decideApproval({ ...base, ...overrides }, callFacts), expected));
  }

  it('the notices say exactly why', () => {
    assert.equal(toolsOffReason({ workspaceTrusted: false, toolsEnabled: true }), 'Workspace tools are off in Restricted Mode. Trust this workspace to let the assistant read files and propose edits.');
    assert.equal(toolsOffReason({ workspaceTrusted: true, toolsEnabled: false }), 'Workspace tools are turned off (setting aimlChat.tools.enabled).');
  });

  it('the override: the first valid value among the names, bogus values skipped, no settings object tolerated', () => {
    assert.equal(toolOverride({ ...base, toolApproval: { a: 'bogus' as never, b: 'never' } }, ['a', 'b']), 'never');
    assert.equal(toolOverride({ ...base, toolApproval: { a: 'ask', b: 'never' } }, ['a', 'b']), 'ask');
    assert.equal(toolOverride({ ...base, toolApproval: { b: 'auto' } }, ['a', 'b']), 'auto');
    assert.equal(toolOverride({ ...base, toolApproval: undefined as never }, ['a']), undefined);
    assert.equal(toolOverride(base, []), undefined);
  });
});
