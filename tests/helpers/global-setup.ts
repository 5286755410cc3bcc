/**
 * Vitest global setup: starts moto's server (the DynamoDB + Cognito emulator, installed by
 * `make test` into `.tools/venv`) on 127.0.0.1 on a free port, once for the whole run, and
 * stops it at the end. Test files read its URL with `inject('motoEndpoint')`.
 */
import type { TestProject } from 'vitest/node';
import { startMoto } from './moto.js';

declare module 'vitest' {
  export interface ProvidedContext {
    motoEndpoint: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const moto = await startMoto();
  project.provide('motoEndpoint', moto.url);
  return moto.stop;
}
