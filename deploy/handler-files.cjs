/**
 * osls plugin: leaves out of the package the functions whose handler file does not exist yet
 * (domains whose routes land in another branch), with a warning naming them, so `osls package`
 * works on every branch. `osls deploy` refuses instead: a deployed API never lacks a domain.
 */
const { existsSync } = require('node:fs');
const { join } = require('node:path');

class HandlerFiles {
  constructor(serverless, _options, { log }) {
    this.serverless = serverless;
    this.log = log;
    this.hooks = { initialize: () => this.leaveOutMissing() };
  }

  /** The functions of serverless.yml whose `handlers/<name>` file is missing. */
  missing() {
    const dir = this.serverless.config.serviceDir;
    return Object.entries(this.serverless.service.functions || {})
      .filter(([, fn]) => {
        const file = fn.handler.slice(0, fn.handler.lastIndexOf('.'));
        return !['.ts', '.js', '.mjs'].some((ext) => existsSync(join(dir, file + ext)));
      })
      .map(([name]) => name);
  }

  leaveOutMissing() {
    const missing = this.missing();
    if (missing.length === 0) return;
    const list = missing.join(', ');
    const commands = (this.serverless.processedInput || {}).commands || [];
    if (commands[0] === 'deploy') {
      throw new this.serverless.classes.Error(
        `No handler file for function(s) ${list}: add handlers/<domain>.ts before deploying.`,
      );
    }
    this.log.warning(
      `Packaging without function(s) ${list}: their handler files do not exist yet.`,
    );
    for (const name of missing) Reflect.deleteProperty(this.serverless.service.functions, name);
  }
}

module.exports = HandlerFiles;
