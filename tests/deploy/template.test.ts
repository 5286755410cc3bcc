/**
 * The AWS deployment, checked offline: `scripts/package.sh` (what `make package` runs) packages
 * both stages with osls and no credentials and cfn-lints the templates; this suite then asserts on
 * the generated CloudFormation: the JWT authorizer and its scope on every route but the public
 * ones, routing of every path prefix to its function (and of every route a handler serves to that
 * handler), the table (identical to `tableDefinition`), the user pool and its client, the secret,
 * the bucket, and least-privilege IAM per function.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { COGNITO_ADMIN_SCOPE } from '../../src/core/security.js';
import { tableDefinition } from '../../src/db/dynamodb/index.js';
import { BUNDLE_ENV, handlerNames } from '../../scripts/bundles.js';
import { HANDLERS, httpApiEvent, envelopeOf } from '../helpers/handlers.js';

type Resource = { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string };
type Template = { Resources: Record<string, Resource>; Outputs: Record<string, unknown> };

/** The plan: each function and the path prefixes routed to it (`ANY /p` and `ANY /p/{proxy+}`). */
const PREFIXES: Record<string, string[]> = {
  auth: ['/auth', '/preferences', '/import', '/export'],
  tasks: ['/tasks'],
  goals: ['/goals'],
  projects: ['/projects'],
  metrics: ['/metrics', '/metricLogs', '/metricMilestones', '/metricInsights'],
  habits: ['/habits'],
  logbook: ['/logbook', '/growth-system', '/dashboard'],
  rewards: ['/rewards', '/wallet'],
  knowledge: ['/knowledge', '/drafts'],
  ai: ['/ai', '/preferences/feature-configs'],
};
/** Routes without the authorizer: sign-in and liveness, and the API's documentation. */
const PUBLIC = ['ANY /auth/{proxy+}', 'GET /health', 'GET /openapi.json', 'GET /docs'];
const capitalised = (name: string) => name[0]?.toUpperCase() + name.slice(1);

async function packageStage(stage: string): Promise<Template> {
  const dir = mkdtempSync(join(tmpdir(), `personal-os-package-${stage}-`));
  await promisify(execFile)('./scripts/package.sh', [dir], {
    env: { ...process.env, PACKAGE_STAGE: stage },
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(readFileSync(join(dir, 'cloudformation-template-update-stack.json'), 'utf8'));
}

let dev: Template;
let prod: Template;
const ofType = (t: Template, type: string) =>
  Object.entries(t.Resources).filter(([, r]) => r.Type === type);

beforeAll(async () => {
  // One after the other: serverless-esbuild works in the shared .esbuild folder.
  dev = await packageStage('dev');
  prod = await packageStage('prod');
}, 180_000);

describe('the functions', () => {
  it('are the ten planned ones, each with its handler file, all packaged', () => {
    const planned = Object.keys(PREFIXES).sort();
    expect(handlerNames()).toEqual(planned);
    const yml = readFileSync('serverless.yml', 'utf8');
    const declared = [...yml.matchAll(/^ {4}handler: handlers\/(\w+)\.handler$/gm)].map(
      (m) => m[1],
    );
    expect(declared.sort()).toEqual(planned);
    const packaged = ofType(dev, 'AWS::Lambda::Function').map(([, r]) =>
      String(r.Properties.Handler),
    );
    expect(packaged.sort()).toEqual(planned.map((n) => `handlers/${n}.handler`));
  });

  it('run Node 22 on arm64 with timeouts under 30 s and the settings in the environment', () => {
    for (const [name, fn] of ofType(dev, 'AWS::Lambda::Function')) {
      const p = fn.Properties as {
        Runtime: string;
        Architectures: string[];
        Timeout: number;
        MemorySize: number;
        Environment: { Variables: Record<string, unknown> };
      };
      expect({ name, runtime: p.Runtime, arch: p.Architectures }).toEqual({
        name,
        runtime: 'nodejs22.x',
        arch: ['arm64'],
      });
      expect(p.Timeout).toBeLessThan(30);
      expect(p.MemorySize).toBeGreaterThanOrEqual(512);
      expect(p.Environment.Variables).toMatchObject({
        STAGE: 'dev',
        STORE: 'dynamodb',
        AUTH_MODE: 'cognito',
        TABLE_NAME: 'personal-os-dev',
        COGNITO_USER_POOL_ID: { Ref: 'UserPool' },
        COGNITO_CLIENT_ID: { Ref: 'UserPoolClient' },
        LLM_SECRET_NAME: 'personal-os/dev/llm-keys',
        UPLOADS_BUCKET: { Ref: 'UploadsBucket' },
      });
    }
    const memory = (fn: string) =>
      dev.Resources[`${capitalised(fn)}LambdaFunction`]?.Properties.MemorySize as number;
    expect(memory('ai')).toBeGreaterThan(memory('tasks'));
  });
});

describe('the HTTP API', () => {
  const routes = () =>
    ofType(dev, 'AWS::ApiGatewayV2::Route').map(([, r]) => {
      const p = r.Properties as {
        RouteKey: string;
        AuthorizationType?: string;
        AuthorizationScopes?: string[];
        AuthorizerId?: unknown;
        Target: { 'Fn::Join': [string, unknown[]] };
      };
      const target = JSON.stringify(p.Target);
      const fn = /HttpApiIntegration(\w+)"/.exec(target)?.[1]?.toLowerCase();
      return { key: p.RouteKey, fn, auth: p.AuthorizationType, scopes: p.AuthorizationScopes };
    });

  it('verifies Cognito access tokens of the app client with a JWT authorizer', () => {
    const [[, authorizer] = []] = ofType(dev, 'AWS::ApiGatewayV2::Authorizer');
    expect(authorizer?.Properties).toMatchObject({
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: [{ Ref: 'UserPoolClient' }],
        Issuer: {
          'Fn::Join': [
            '',
            [
              'https://cognito-idp.',
              { Ref: 'AWS::Region' },
              '.amazonaws.com/',
              { Ref: 'UserPool' },
            ],
          ],
        },
      },
    });
  });

  it('requires the access-token scope on every route but /auth/*, /health and the docs', () => {
    const all = routes();
    expect(
      all
        .filter((r) => r.auth !== 'JWT')
        .map((r) => r.key)
        .sort(),
    ).toEqual([...PUBLIC].sort());
    for (const route of all.filter((r) => !PUBLIC.includes(r.key))) {
      expect({ route: route.key, scopes: route.scopes }).toEqual({
        route: route.key,
        scopes: [COGNITO_ADMIN_SCOPE],
      });
    }
  });

  it('routes each prefix to its function', () => {
    const all = routes();
    const owner = (key: string) => {
      const path = key.split(' ')[1] as string;
      const matches = Object.entries(PREFIXES).flatMap(([fn, prefixes]) =>
        prefixes.filter((p) => path === p || path.startsWith(`${p}/`)).map((p) => ({ fn, p })),
      );
      return matches.sort((a, b) => b.p.length - a.p.length)[0]?.fn;
    };
    for (const route of all.filter(
      (r) => !['GET /health', 'GET /openapi.json', 'GET /docs'].includes(r.key),
    )) {
      expect({ route: route.key, fn: route.fn }).toEqual({
        route: route.key,
        fn: owner(route.key),
      });
    }
    for (const [name, prefixes] of Object.entries(PREFIXES)) {
      for (const prefix of prefixes) {
        const keys = all.filter((r) => r.fn === name).map((r) => r.key);
        if (prefix !== '/auth') expect(keys).toContain(`ANY ${prefix}`);
        expect(keys).toContain(`ANY ${prefix}/{proxy+}`);
      }
    }
  });

  it('sends every route a handler serves to that handler (API Gateway route selection)', async () => {
    const all = routes();
    /** HTTP API route selection: an exact path first, else the longest greedy `{proxy+}` prefix. */
    const select = (method: string, path: string) => {
      const fits = all.filter((r) => {
        const [m] = r.key.split(' ');
        return m === 'ANY' || m === method;
      });
      const exact = fits.find((r) => r.key.split(' ')[1] === path);
      if (exact) return exact;
      return fits
        .map((r) => ({ r, base: (r.key.split(' ')[1] as string).replace(/\/\{proxy\+\}$/, '') }))
        .filter(({ r, base }) => r.key.endsWith('{proxy+}') && path.startsWith(`${base}/`))
        .sort((a, b) => b.base.length - a.base.length)[0]?.r;
    };
    const saved = { ...process.env };
    Object.assign(process.env, BUNDLE_ENV);
    try {
      for (const h of HANDLERS) {
        const mod = await h.load();
        const doc = envelopeOf(
          await mod.handler(httpApiEvent({ method: 'GET', path: '/openapi.json' })),
        );
        const paths = (doc as unknown as { paths: Record<string, Record<string, unknown>> }).paths;
        for (const [template, operations] of Object.entries(paths)) {
          const path = template.replace(/\{[^}]+\}/g, 'sample-id');
          for (const method of Object.keys(operations)) {
            const route = select(method.toUpperCase(), path);
            expect({ handler: h.name, request: `${method} ${path}`, fn: route?.fn }).toEqual({
              handler: h.name,
              request: `${method} ${path}`,
              fn: h.name,
            });
          }
        }
      }
    } finally {
      for (const key of Object.keys(process.env))
        if (!(key in saved)) Reflect.deleteProperty(process.env, key);
      Object.assign(process.env, saved);
    }
  });

  it('allows the front end’s origins with CORS', () => {
    const api = ofType(dev, 'AWS::ApiGatewayV2::Api')[0]?.[1].Properties;
    expect(api?.CorsConfiguration).toMatchObject({
      AllowHeaders: expect.arrayContaining(['Authorization', 'Content-Type']),
      AllowMethods: expect.arrayContaining(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']),
      AllowOrigins: expect.arrayContaining(['https://sunnychopper.github.io']),
    });
    const prodOrigins = ofType(prod, 'AWS::ApiGatewayV2::Api')[0]?.[1].Properties
      .CorsConfiguration as {
      AllowOrigins: string[];
    };
    expect(prodOrigins.AllowOrigins.every((o) => o.startsWith('https://'))).toBe(true);
  });
});

describe('the resources', () => {
  it('define the table exactly as the code creates it, with TTL, PITR and prod protection', () => {
    const table = dev.Resources.Table as Resource;
    const expected = tableDefinition('personal-os-dev');
    const sorted = <T extends { AttributeName?: string }>(xs: T[] = []) =>
      [...xs].sort((a, b) => String(a.AttributeName).localeCompare(String(b.AttributeName)));
    expect(table.Properties).toMatchObject({
      TableName: expected.TableName,
      BillingMode: expected.BillingMode,
      KeySchema: expected.KeySchema,
      GlobalSecondaryIndexes: expected.GlobalSecondaryIndexes,
      TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: false,
    });
    expect(sorted(table.Properties.AttributeDefinitions as [])).toEqual(
      sorted(expected.AttributeDefinitions),
    );
    expect(table.DeletionPolicy).toBe('Delete');
    const prodTable = prod.Resources.Table as Resource;
    expect(prodTable.Properties.DeletionProtectionEnabled).toBe(true);
    expect(prodTable.DeletionPolicy).toBe('Retain');
    expect(prodTable.Properties.TableName).toBe('personal-os-prod');
  });

  it('define the user pool with email sign-in, local sign-in’s password policy and email verification', () => {
    expect(dev.Resources.UserPool?.Properties).toMatchObject({
      UsernameAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
      Policies: {
        PasswordPolicy: {
          MinimumLength: 8,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: false,
        },
      },
    });
    expect(prod.Resources.UserPool?.DeletionPolicy).toBe('Retain');
  });

  it('define a public app client: no secret, password + refresh flows, revocation, 15-minute access tokens', () => {
    const client = dev.Resources.UserPoolClient?.Properties as Record<string, unknown>;
    expect(client).toMatchObject({
      GenerateSecret: false,
      EnableTokenRevocation: true,
      AccessTokenValidity: 15,
      TokenValidityUnits: { AccessToken: 'minutes' },
    });
    expect(client.ExplicitAuthFlows).toEqual(
      expect.arrayContaining(['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']),
    );
    expect(client.ExplicitAuthFlows).not.toContain('ALLOW_ADMIN_USER_PASSWORD_AUTH');
  });

  it('define the LLM-keys secret and a private uploads bucket with CORS for PUT', () => {
    expect(dev.Resources.LlmSecret?.Properties.Name).toBe('personal-os/dev/llm-keys');
    expect(prod.Resources.LlmSecret?.Properties.Name).toBe('personal-os/prod/llm-keys');
    const bucket = dev.Resources.UploadsBucket?.Properties as Record<string, unknown>;
    expect(bucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.CorsConfiguration).toMatchObject({
      CorsRules: [
        {
          AllowedMethods: ['PUT'],
          AllowedOrigins: expect.arrayContaining(['https://sunnychopper.github.io']),
        },
      ],
    });
  });
});

describe('IAM', () => {
  type Statement = { Effect: string; Action: string | string[]; Resource: unknown };
  /** Function name → the Allow actions of its own role. */
  const grants = (t: Template) =>
    Object.fromEntries(
      ofType(t, 'AWS::Lambda::Function').map(([, fn]) => {
        const roleName = (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })[
          'Fn::GetAtt'
        ][0];
        const policies = t.Resources[roleName]?.Properties.Policies as {
          PolicyDocument: { Statement: Statement[] };
        }[];
        const statements = policies.flatMap((p) => p.PolicyDocument.Statement);
        const name = String(fn.Properties.FunctionName).replace('personal-os-dev-', '');
        return [name, { statements, actions: statements.flatMap((s) => [s.Action].flat()) }];
      }),
    );

  it('gives every function its own role with only the table and its own log group', () => {
    const roles = ofType(dev, 'AWS::Lambda::Function').map(([, fn]) =>
      JSON.stringify(fn.Properties.Role),
    );
    expect(new Set(roles).size).toBe(roles.length);
    for (const [name, { statements, actions }] of Object.entries(grants(dev))) {
      expect(statements.every((s) => s.Effect === 'Allow')).toBe(true);
      expect(actions.filter((a) => a.includes('*'))).toEqual([]);
      // Only account deletion (auth) may call Cognito, and only to delete a user.
      expect(actions.filter((a) => a.startsWith('cognito-idp:'))).toEqual(
        name === 'auth' ? ['cognito-idp:AdminDeleteUser'] : [],
      );
      expect(JSON.stringify(statements)).not.toMatch(/"Resource":"\*"/);
      expect(JSON.stringify(statements)).toContain(`/aws/lambda/personal-os-dev-${name}:*`);
      expect(actions).toEqual(
        expect.arrayContaining([
          'dynamodb:GetItem',
          'dynamodb:Query',
          'dynamodb:ConditionCheckItem',
        ]),
      );
    }
  });

  it('lets only ai and knowledge read the LLM secret, and only knowledge (and auth, to delete an account’s files) touch the bucket', () => {
    const all = grants(dev);
    const holders = (prefix: string) =>
      Object.entries(all)
        .filter(([, g]) => g.actions.some((a) => a.startsWith(prefix)))
        .map(([name]) => name)
        .sort();
    expect(Object.keys(all).sort()).toEqual(Object.keys(PREFIXES).sort());
    expect(holders('secretsmanager:')).toEqual(['ai', 'knowledge']);
    expect(holders('s3:')).toEqual(['auth', 'knowledge']);
    // Account deletion (auth) removes the user's uploads; it cannot read or write them.
    expect(all.auth?.actions.filter((a) => a.startsWith('s3:')).sort()).toEqual([
      's3:DeleteObject',
      's3:ListBucket',
    ]);
    expect(all.tasks?.actions).not.toContain('secretsmanager:GetSecretValue');
  });
});
