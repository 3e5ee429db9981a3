import type { ActionDefinition, ProtocolDefinition, ServiceTypeDefinition, SettingDefinition, TestDefinition, Polarity } from '@warden/sdk';

/**
 * What the control-file parser asks of the loaded plugins: which definition owns a word.
 * The plugin host implements it; the parser never sees packages or files.
 */
export interface GrammarRegistry {
  /** The service type selected by the word after `check` (`file`, `device`). */
  serviceType(keyword: string): ServiceTypeDefinition<unknown, unknown, unknown> | undefined;
  /**
   * The test for `if [polarity] KEYWORD …` inside a service of type `serviceType`,
   * or undefined when no loaded plugin accepts it there.
   */
  test(serviceType: string, polarity: Polarity, keyword: string): TestDefinition<unknown, unknown> | undefined;
  /** True when some test (of any service type) uses this keyword: tells "wrong type" from "unknown". */
  isTestKeyword(keyword: string): boolean;
  /** The plugin action selected by the word after `then`/`else` (`exec`). */
  action(keyword: string): ActionDefinition<unknown> | undefined;
  /** The protocol named by `protocol NAME`. */
  protocol(name: string): ProtocolDefinition<unknown> | undefined;
  /** The plugin setting selected by the word after `set` (`mailserver`). */
  setting(keyword: string): SettingDefinition<unknown> | undefined;
}
