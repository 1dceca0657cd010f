// The typed settings module and package.json describe the same settings: same keys, same
// defaults, and user-only reading exactly for the machine-scoped ones.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { SETTINGS, type SettingKey } from '../../../src/host/settingsTable';

interface ManifestProperty { default?: unknown; scope?: string }

function manifestSettings(): Map<string, ManifestProperty> {
  const manifest = JSON.parse(readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
    contributes: { configuration: { properties: Record<string, ManifestProperty> } | Array<{ properties: Record<string, ManifestProperty> }> };
  };
  const sections = [manifest.contributes.configuration].flat();
  const all = new Map<string, ManifestProperty>();
  for (const section of sections) {
    for (const [key, property] of Object.entries(section.properties)) {
      assert.ok(key.startsWith('aimlChat.'), `${key} is outside the aimlChat section`);
      all.set(key.slice('aimlChat.'.length), property);
    }
  }
  return all;
}

describe('settings table vs package.json', () => {
  const manifest = manifestSettings();

  it('every contributed setting is read by the settings module, with the same default', () => {
    for (const [key, property] of manifest) {
      assert.ok(key in SETTINGS, `aimlChat.${key} is contributed but not in src/host/settingsTable.ts`);
      assert.deepEqual(SETTINGS[key as SettingKey].default, property.default ?? null, `default of aimlChat.${key}`);
    }
  });

  it('every setting the module reads is contributed', () => {
    for (const key of Object.keys(SETTINGS)) assert.ok(manifest.has(key), `aimlChat.${key} is read but not declared in package.json`);
  });

  it('reads from user/machine scope only exactly the machine-scoped settings', () => {
    for (const [key, property] of manifest) {
      assert.equal(SETTINGS[key as SettingKey].userOnly, property.scope === 'machine', `aimlChat.${key} (scope ${property.scope})`);
    }
  });
});
