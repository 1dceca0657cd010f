// The origin check of a dropped URI: a folder of another scheme or authority never reads it, except
// a local folder for a remote window's drop.
import * as assert from 'node:assert/strict';
import { confineDroppedUri } from '../../../src/core/images/droppedUris';

describe('dropped URIs, origin exactly', () => {
  it('reads a drop only through a folder of its own scheme and authority', () => {
    const refused = { ok: false, message: 'a.png was not attached: only files inside the open workspace folders can be dropped onto the chat; use Attach image to pick another file.' };
    assert.deepEqual(confineDroppedUri({ scheme: 'file', authority: '', path: '/ws/a.png' }, [{ scheme: 'vscode-remote', authority: 'h', path: '/ws' }]), refused);
    assert.deepEqual(confineDroppedUri({ scheme: 'vscode-remote', authority: 'h1', path: '/ws/a.png' }, [{ scheme: 'vscode-remote', authority: 'h2', path: '/ws' }]), refused);
    // Same authority, other scheme: a UNC file (file://h/…) is not the remote host h's folder.
    assert.deepEqual(confineDroppedUri({ scheme: 'file', authority: 'h', path: '/ws/a.png' }, [{ scheme: 'vscode-remote', authority: 'h', path: '/ws' }]), refused);
    assert.deepEqual(confineDroppedUri({ scheme: 'vscode-remote', authority: 'h1', path: '/ws/a.png' }, [{ scheme: 'vscode-remote', authority: 'h1', path: '/ws' }]), { ok: true, uri: { scheme: 'vscode-remote', authority: 'h1', path: '/ws/a.png' } });
    assert.deepEqual(confineDroppedUri({ scheme: 'vscode-remote', authority: 'h1', path: '/ws/a.png' }, [{ scheme: 'file', authority: '', path: '/ws' }]), { ok: true, uri: { scheme: 'file', authority: '', path: '/ws/a.png' } });
  });
});
