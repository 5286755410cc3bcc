/**
 * Cold start: each function's bundle, rebuilt with the deployment's esbuild options and a
 * metafile (`scripts/bundles.ts`), is inspected for what it must not contain — LangChain or an
 * LLM provider SDK in the lean domains' functions; the local-only store and sign-in (SQLite,
 * argon2) in any; the AWS SDK v3, which the runtime provides — and is loaded in a fresh Node
 * process, where it must initialise without AWS and still serve every route of its domain (code
 * splitting or tree shaking must not drop a route registration).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildBundles,
  bundledModules,
  externalImports,
  loadBundle,
  type Bundle,
} from '../../scripts/bundles.js';
import { HANDLERS, envelopeOf, httpApiEvent } from '../helpers/handlers.js';

/** Functions that must start fast: no LangChain, no provider SDK (DESIGN.md §7). */
const LEAN = ['tasks', 'goals', 'metrics', 'habits', 'projects', 'logbook', 'rewards'];
/** LangChain and the LLM providers' SDKs (the packages `@langchain/<provider>` pull in). */
const LLM_MODULES =
  /node_modules\/(langchain|@langchain\/|@anthropic-ai\/|openai\/|@google\/(generative-ai|genai)|groq-sdk|@cerebras\/|@mistralai\/|@xai\/|deepseek)/;
/** Modules only the local server may load. */
const LOCAL_ONLY =
  /node_modules\/(better-sqlite3|@node-rs\/argon2)|src\/db\/sqlite\.ts|src\/services\/auth\/local\.ts|src\/runtime\.ts/;

let bundles: Bundle[];
beforeAll(async () => {
  bundles = await buildBundles();
}, 120_000);

describe('every bundle', () => {
  it('is built for every handler', () => {
    expect(bundles.map((b) => b.name).sort()).toEqual(HANDLERS.map((h) => h.name).sort());
  });

  it('leaves out the local store, local sign-in and their native modules', () => {
    for (const bundle of bundles) {
      expect({
        bundle: bundle.name,
        local: bundledModules(bundle).filter((m) => LOCAL_ONLY.test(m)),
      }).toEqual({
        bundle: bundle.name,
        local: [],
      });
    }
  });

  it('leaves the AWS SDK v3 to the Lambda runtime', () => {
    for (const bundle of bundles) {
      expect(bundledModules(bundle).filter((m) => m.includes('node_modules/@aws-sdk/'))).toEqual(
        [],
      );
      expect(externalImports(bundle)).toContain('@aws-sdk/client-dynamodb');
      const packages = externalImports(bundle).filter((i) => !/^(node:)?[a-z_]+$/.test(i));
      expect(packages.every((p) => p.startsWith('@aws-sdk/'))).toBe(true);
    }
  });

  it.each(HANDLERS)('$name initialises in a fresh process and serves its routes', async (h) => {
    const bundle = bundles.find((b) => b.name === h.name) as Bundle;
    const { response } = await loadBundle(
      bundle.file,
      httpApiEvent({ method: 'GET', path: '/openapi.json' }),
    );
    expect(response?.statusCode).toBe(200);
    const doc = envelopeOf(response as never) as unknown as { paths: Record<string, unknown> };
    // The sample routes of the handler are in the bundle's own document.
    const templates = Object.keys(doc.paths).map(
      (p) => new RegExp(`^${p.replace(/\{[^}]+\}/g, '[^/]+')}$`),
    );
    for (const { path } of h.own) {
      expect({ path, served: templates.some((t) => t.test(path)) }).toEqual({ path, served: true });
    }
  });
});

describe('the lean functions’ bundles', () => {
  it('contain no LangChain and no LLM provider SDK', () => {
    const lean = bundles.filter((b) => LEAN.includes(b.name));
    expect(lean.map((b) => b.name).sort()).toEqual([...LEAN].sort());
    for (const bundle of lean) {
      expect({
        bundle: bundle.name,
        llm: bundledModules(bundle).filter((m) => LLM_MODULES.test(m)),
      }).toEqual({
        bundle: bundle.name,
        llm: [],
      });
    }
  });
});
