/**
 * The lab scenarios' names, apart from the scenarios themselves (scenarios.ts): the command line
 * offers them as `lab`'s choices without loading the socket code behind them.
 */
export const SCENARIO_NAMES = [
  'graceful', 'half-close', 'close-then-data', 'unread-close', 'linger0', 'stuck-close-wait', 'refused', 'simultaneous',
  'zero-window',
] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

export function isScenario(name: string): name is ScenarioName {
  return (SCENARIO_NAMES as readonly string[]).includes(name);
}
