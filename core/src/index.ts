export { main } from './cli/main.js';
export { runCli, type CliOptions } from './cli/run-cli.js';
export { readConfig, type LoadedConfig } from './config/read-config.js';
export { PluginHost, type LoadedPlugin } from './plugins/plugin-host.js';
export { createContainer } from './di/container.js';
export { Tokens } from './di/tokens.js';
export type { ControlModel, ServiceModel, RuleModel } from './config/model.js';
export { VERSION } from './version.js';
