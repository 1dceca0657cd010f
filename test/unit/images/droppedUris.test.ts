// The webview may ask the host to read dropped files as images; only files inside a workspace
// folder are read, through the folder's own scheme. Any other scheme or place is refused.
import assert from 'node:assert/strict';
import { confineDroppedUri, normalizePosixPath, type UriParts } from '../../../src/core/images/droppedUris';

const uri = (text: string): UriParts => {
  const url = new URL(text);
  return { scheme: url.protocol.slice(0, -1), authority: url.host, path: decodeURIComponent(url.pathname) };
};
const folders = [uri('file:///work/project'), uri('file:///home/me/other%20folder')];

describe('dropped image URIs', () => {
  it('reads a file inside a workspace folder, as it is', () => {
    assert.deepEqual(confineDroppedUri(uri('file:///work/project/img/a.png'), folders), { ok: true, uri: { scheme: 'file', authority: '', path: '/work/project/img/a.png' } });
    assert.deepEqual(confineDroppedUri(uri('file:///home/me/other%20folder/b%20c.jpg'), folders), { ok: true, uri: { scheme: 'file', authority: '', path: '/home/me/other folder/b c.jpg' } });
  });

  it('rebases a remote window\'s vscode-remote drop onto the file: folder this host reads', () => {
    assert.deepEqual(confineDroppedUri(uri('vscode-remote://localhost:8080/work/project/a.png'), folders), { ok: true, uri: { scheme: 'file', authority: '', path: '/work/project/a.png' } });
  });

  const refused: [string, RegExp][] = [
    ['file:///etc/passwd', /passwd was not attached: only files inside the open workspace folders/],
    ['file:///home/me/.ssh/id_rsa.png', /only files inside the open workspace folders/],
    ['file:///work/project/../secrets/a.png', /only files inside the open workspace folders/],
    ['file:///work/project/./../../root/a.png', /only files inside the open workspace folders/],
    ['file:///work/project-evil/a.png', /only files inside the open workspace folders/],
    ['file:///work/project', /only files inside the open workspace folders/],
    ['git:/work/project/a.png?%7B%22ref%22%3A%22HEAD%22%7D', /only files can be dropped onto the chat \(not git: addresses\)/],
    ['vscode-userdata:/home/me/.config/Code/User/settings.json', /not vscode-userdata: addresses/],
    ['https://attacker.example/pixel.png', /not https: addresses/],
    ['data:image/png;base64,AAAA', /not data: addresses/],
    ['untitled:/work/project/Untitled-1', /not untitled: addresses/],
    ['vscode-vfs://github/owner/repo/a.png', /not vscode-vfs: addresses/],
  ];
  for (const [text, expected] of refused) {
    it(`refuses ${text}`, () => {
      const checked = confineDroppedUri(uri(text), folders);
      assert.equal(checked.ok, false);
      assert.match(!checked.ok ? checked.message : '', expected);
    });
  }

  it('refuses a path that climbs above the root', () => {
    const checked = confineDroppedUri({ scheme: 'file', authority: '', path: '/../../work/project/a.png' }, folders);
    assert.match(!checked.ok ? checked.message : '', /its path is not valid/);
  });

  it('a file: drop with an authority (a UNC share) is not inside a local folder', () => {
    assert.equal(confineDroppedUri({ scheme: 'file', authority: 'server', path: '/work/project/a.png' }, folders).ok, false);
  });

  it('with no folder open, nothing is read', () => {
    assert.equal(confineDroppedUri(uri('file:///work/project/a.png'), []).ok, false);
  });

  it('compares case-insensitively only when told to (Windows, macOS)', () => {
    const upper = uri('file:///WORK/Project/a.png');
    assert.equal(confineDroppedUri(upper, folders).ok, false);
    assert.equal(confineDroppedUri(upper, folders, true).ok, true);
  });

  it('normalises . and .. segments and refuses climbing above the root', () => {
    assert.equal(normalizePosixPath('/a/./b/../c//d'), '/a/c/d');
    assert.equal(normalizePosixPath('/a/../..'), undefined);
  });

  it('names the refused item by its last path segment, its path, or generically', () => {
    const refusal = (path: string, scheme = 'git') => {
      const checked = confineDroppedUri({ scheme, authority: '', path }, folders);
      return checked.ok ? '' : checked.message;
    };
    assert.equal(refusal('/a/b.png'), 'b.png was not attached: only files can be dropped onto the chat (not git: addresses).');
    assert.equal(refusal('/'), '/ was not attached: only files can be dropped onto the chat (not git: addresses).');
    assert.equal(refusal(''), 'the dropped item was not attached: only files can be dropped onto the chat (not git: addresses).');
    assert.equal(refusal('/../x.png', 'file'), 'x.png was not attached: its path is not valid.');
    assert.equal(refusal('/tmp/x.png', 'file'), 'x.png was not attached: only files inside the open workspace folders can be dropped onto the chat; use Attach image to pick another file.');
  });

  it('reads through the folder that contains the file, skipping a folder whose own path is invalid', () => {
    const odd = [{ scheme: 'file', authority: '', path: '/..' }, { scheme: 'file', authority: '', path: '/work/project/' }];
    assert.deepEqual(confineDroppedUri({ scheme: 'file', authority: '', path: '/work/project/./a.png' }, odd), { ok: true, uri: { scheme: 'file', authority: '', path: '/work/project/a.png' } });
    const remote = [{ scheme: 'vscode-remote', authority: 'ssh-remote+box', path: '/srv/app' }];
    assert.deepEqual(confineDroppedUri({ scheme: 'vscode-remote', authority: 'ssh-remote+box', path: '/srv/app/a.png' }, remote), { ok: true, uri: { scheme: 'vscode-remote', authority: 'ssh-remote+box', path: '/srv/app/a.png' } });
    assert.equal(confineDroppedUri({ scheme: 'vscode-remote', authority: 'other', path: '/srv/app/a.png' }, remote).ok, false, 'another remote is another machine');
    assert.equal(confineDroppedUri({ scheme: 'file', authority: '', path: '/srv/app/a.png' }, remote).ok, false, 'a local file is not inside a remote folder');
    assert.deepEqual(confineDroppedUri({ scheme: 'file', authority: '', path: '/WORK/Project/A.png' }, folders, true), { ok: true, uri: { scheme: 'file', authority: '', path: '/WORK/Project/A.png' } }, 'the path keeps its own case');
    assert.equal(confineDroppedUri({ scheme: 'file', authority: '', path: '/work/projectX/a.png' }, [{ scheme: 'file', authority: '', path: '/work/project' }], true).ok, false);
  });

  it('normalises the root and repeated slashes', () => {
    assert.equal(normalizePosixPath('/'), '/');
    assert.equal(normalizePosixPath(''), '/');
    assert.equal(normalizePosixPath('a//b/.'), '/a/b');
    assert.equal(normalizePosixPath('/..'), undefined);
    assert.equal(normalizePosixPath('/a/..'), '/');
  });
});
