/** Settings: zero configuration gives local defaults; a wrong value fails with one line naming it. */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { SettingsError, loadSettings } from '../../src/core/config.js';

describe('settings', () => {
  it('gives the local defaults with no configuration', () => {
    expect(loadSettings({})).toMatchObject({
      HOST: '127.0.0.1',
      PORT: 8000,
      STAGE: 'local',
      TABLE_NAME: 'personal-os-local',
      STORE: 'sqlite',
      SQLITE_PATH: '.data/personal-os.db',
      AUTH_MODE: 'local',
      AWS_REGION: 'us-east-1',
      AWARD_MILESTONE_POINTS: true,
    });
  });

  it('derives the table name from the stage and splits CORS origins; empty values count as unset', () => {
    const s = loadSettings({
      STAGE: 'prod',
      CORS_ORIGINS: 'https://a.example, https://b.example',
      PORT: '',
    });
    expect(s.TABLE_NAME).toBe('personal-os-prod');
    expect(s.CORS_ORIGINS).toEqual(['https://a.example', 'https://b.example']);
    expect(s.PORT).toBe(8000);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ STORE: 'postgres' }, 'STORE'],
    [{ AUTH_MODE: 'cognito' }, 'COGNITO_USER_POOL_ID'],
    [{ DYNAMODB_ENDPOINT_URL: 'not a url' }, 'DYNAMODB_ENDPOINT_URL'],
    [{ STAGE: 'Prod!' }, 'STAGE'],
  ])('refuses %o naming %s', (env, name) => {
    expect(() => loadSettings(env)).toThrow(SettingsError);
    expect(() => loadSettings(env)).toThrow(new RegExp(`^Invalid setting ${name}`));
  });

  it('makes the server exit with one line naming the variable', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      env: { ...process.env, PORT: 'eighty' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^Invalid setting PORT \(got "eighty"\)/),
    ]);
  });
});
