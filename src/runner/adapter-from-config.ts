import type { AdapterConfig, HarnessConfig } from '../config/index.js';
import { createAdapterRouter, createReferenceAdapter, createCommandAdapter, createHttpAdapter, createPromptAdapter, type AdapterRouter, type ControlTarget, type Adapter } from './adapters/index.js';

/** Where adapters that need the outside world get it. */
export interface AdapterWorld {
  /** The control API of the built-in reference implementation, when one runs. */
  reference?: ControlTarget;
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
}

/** Builds the adapter the configuration describes: one per action where configured, a default for the rest. */
export function adapterFromConfig(config: HarnessConfig, world: AdapterWorld): AdapterRouter {
  const byAction: Record<string, Adapter> = {};
  for (const [action, adapterConfig] of Object.entries(config.adapters.actions)) byAction[action] = createOne(adapterConfig, world, `adapters.actions.${action}`);
  return createAdapterRouter({ byAction, fallback: createOne(config.adapters.default, world, 'adapters.default') });
}

/** `configPath` is where the adapter sits in the configuration, for messages that name a field to fix. */
function createOne(config: AdapterConfig, world: AdapterWorld, configPath: string): Adapter {
  switch (config.kind) {
    case 'prompt':
      return createPromptAdapter({ input: world.input ?? process.stdin, output: world.output ?? process.stderr });
    case 'command':
      return createCommandAdapter({ ...withoutKind(config) });
    case 'http':
      return createHttpAdapter({ ...withoutKind(config), configPath });
    default:
      return createReferenceAdapter(world.reference ?? missingReference);
  }
}

function withoutKind<T extends { kind: string }>(config: T): Omit<T, 'kind'> {
  const { kind: _kind, ...rest } = config;
  return rest;
}

const missingReference: ControlTarget = {
  perform: (name) => ({ status: 'unsupported', reason: `the builtin adapter needs the built-in reference implementation (run with --builtin) to perform ${name}` }),
};
