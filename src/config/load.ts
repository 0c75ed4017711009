import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { MAX_TEXT_NESTING, isOcppVersion, lineNestedDeeperThan, schemasOf, type OcppVersion } from '../protocol/index.js';
import { DEFAULT_CONFIG } from './defaults.js';
import { ConfigError, placeProblems, valueAt, type ConfigOrigin } from './errors.js';
import { schemaProblems } from './schema-problems.js';
import { semanticProblems } from './semantic.js';
import { SECURITY_FILE_FIELDS, type ConfigFileValue, type ConfigOverrides, type ConfigSource, type HarnessConfig } from './types.js';
import { yamlLineFinder } from './yaml-lines.js';

/** A configuration loaded from a file, with where each value came from. */
export interface LoadedConfig {
  config: HarnessConfig;
  /** By field path (`timeouts.messageMs`, `idTokens.valid`, `evses`, ...): file or default. */
  sources: Record<string, ConfigSource>;
}

/** Reads, validates and resolves a YAML (or JSON) config file; a ConfigError says what is wrong, by line. */
export function loadConfigFile(path: string): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError([{ origin: path, problem: `cannot read the config file: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` }]);
  }
  const deepLine = lineNestedDeeperThan(text);
  if (deepLine !== undefined) throw new ConfigError([{ origin: path, line: deepLine, problem: `invalid YAML: brackets nested deeper than ${MAX_TEXT_NESTING} levels` }]);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  if (doc.errors.length > 0) {
    // yaml's messages continue with " at line L, column C:" and a source excerpt; the line goes up front instead.
    // Only the first syntax error: the parser's later ones follow from it (a file that is no YAML gives dozens).
    throw new ConfigError(doc.errors.slice(0, 1).map((error) => ({
      origin: path,
      ...(error.linePos ? { line: error.linePos[0].line } : {}),
      problem: `invalid YAML: ${(error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '')}`,
    })));
  }
  let value: unknown;
  try {
    value = doc.toJS();
  } catch (error) {
    // Unresolved aliases and alias bombs surface only here.
    throw new ConfigError([{ origin: path, problem: `invalid YAML: ${(error as Error).message}` }]);
  }
  const config = resolveConfig(value, { path, lineOf: yamlLineFinder(doc, lineCounter) });
  return { config: withSecurityFilesFrom(dirname(resolve(path)), config), sources: sourcesOf(value) };
}

/** The security section's files as absolute paths: a relative one is read from the config file's folder, wherever the harness runs. */
function withSecurityFilesFrom(folder: string, config: HarnessConfig): HarnessConfig {
  const security = { ...config.security };
  for (const field of SECURITY_FILE_FIELDS) {
    const file = security[field];
    if (file !== undefined) security[field] = resolve(folder, file);
  }
  return { ...config, security };
}

// YAML reads `ocpp: 1.6` and `ocpp: 2.1` as numbers; a lab should not have to quote them.
function normalised(value: unknown): unknown {
  if (value === null || value === undefined) return {};
  const ocpp = valueAt(value, '/ocpp');
  return typeof ocpp === 'number' && isOcppVersion(String(ocpp)) ? { ...(value as object), ocpp: String(ocpp) } : value;
}

function mergeBackground(defaults: Record<string, unknown>, overlay: Record<string, unknown> = {}): Record<string, unknown> {
  const merged = { ...defaults };
  for (const [action, reply] of Object.entries(overlay)) {
    if (reply === null) delete merged[action];
    else merged[action] = reply;
  }
  return merged;
}

/**
 * Validates a parsed config file value (null or undefined count as empty) and fills in the defaults.
 * Problems are placed by `origin`: its path prefixes every message, `lineOf` adds the line.
 */
export function resolveConfig(fileValue: unknown, origin: ConfigOrigin = {}): HarnessConfig {
  const value = normalised(fileValue);
  const schemaFound = schemaProblems(value);
  if (schemaFound.length > 0) throw new ConfigError(placeProblems(schemaFound, value, origin));
  const file = structuredClone(value) as ConfigFileValue;
  const defaults = structuredClone(DEFAULT_CONFIG);
  const config: HarnessConfig = {
    stationId: file.stationId ?? defaults.stationId,
    ...(file.ocpp ? { ocpp: file.ocpp } : {}),
    evses: file.evses ?? defaults.evses,
    idTokens: { ...defaults.idTokens, ...file.idTokens },
    security: { ...defaults.security, ...file.security },
    network: { ...defaults.network, ...file.network },
    timeouts: { ...defaults.timeouts, ...file.timeouts },
    limits: { ...defaults.limits, ...file.limits },
    timing: { ...defaults.timing, ...file.timing },
    simulate: { ...defaults.simulate, ...file.simulate },
    fileServer: { ...defaults.fileServer, ...file.fileServer },
    features: file.features ?? defaults.features,
    adapters: { ...defaults.adapters, ...file.adapters },
    betweenCases: { ...defaults.betweenCases, ...file.betweenCases },
    tables: file.tables ?? defaults.tables,
    background: mergeBackground(defaults.background, file.background),
  };
  const semanticFound = semanticProblems(config);
  if (semanticFound.length > 0) throw new ConfigError(placeProblems(semanticFound, config, origin));
  return config;
}

function definedOnly<T extends object>(section: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(section ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * The configuration with values from outside the file applied (CLI flags, environment), which win
 * over it; undefined values are ignored. `label` names their origin in error messages.
 */
export function applyOverrides(config: HarnessConfig, overrides: ConfigOverrides, label = 'overrides'): HarnessConfig {
  const sections = { security: definedOnly(overrides.security), timeouts: definedOnly(overrides.timeouts), limits: definedOnly(overrides.limits), timing: definedOnly(overrides.timing), simulate: definedOnly(overrides.simulate), fileServer: definedOnly(overrides.fileServer) };
  // Overrides have the shape of a partial config file, so the file schema checks their types too.
  const given = { ...definedOnly(overrides), ...sections };
  const schemaFound = schemaProblems(given);
  if (schemaFound.length > 0) throw new ConfigError(placeProblems(schemaFound, given, { path: label }));
  const ocpp = overrides.ocpp ?? config.ocpp;
  const merged: HarnessConfig = structuredClone({
    ...config,
    ...(ocpp ? { ocpp } : {}),
    stationId: overrides.stationId ?? config.stationId,
    evses: overrides.evses ?? config.evses,
    features: overrides.features ?? config.features,
    security: { ...config.security, ...sections.security },
    timeouts: { ...config.timeouts, ...sections.timeouts },
    limits: { ...config.limits, ...sections.limits },
    timing: { ...config.timing, ...sections.timing },
    simulate: { ...config.simulate, ...sections.simulate },
    fileServer: { ...config.fileServer, ...sections.fileServer },
  });
  const semanticFound = semanticProblems(merged);
  if (semanticFound.length > 0) throw new ConfigError(placeProblems(semanticFound, merged, { path: label }));
  return merged;
}

/**
 * The background replies for a session of one version: the configured ones whose action exists in
 * that version. Keeping every version's defaults in the config lets `--ocpp` choose the version later.
 */
export function backgroundRepliesFor(config: HarnessConfig, version: OcppVersion): Record<string, unknown> {
  const registry = schemasOf(version);
  return Object.fromEntries(Object.entries(config.background).filter(([action]) => registry.hasAction(action)));
}

const SOURCE_PATHS = [
  'stationId', 'ocpp', 'evses',
  ...Object.keys(DEFAULT_CONFIG.idTokens).map((role) => `idTokens.${role}`),
  'security.profile', 'security.basicAuthPassword',
  ...Object.keys(DEFAULT_CONFIG.network).map((name) => `network.${name}`),
  ...Object.keys(DEFAULT_CONFIG.timeouts).map((name) => `timeouts.${name}`),
  ...Object.keys(DEFAULT_CONFIG.limits).map((name) => `limits.${name}`),
  ...Object.keys(DEFAULT_CONFIG.timing).map((name) => `timing.${name}`),
  ...Object.keys(DEFAULT_CONFIG.simulate).map((name) => `simulate.${name}`),
  ...Object.keys(DEFAULT_CONFIG.fileServer).map((name) => `fileServer.${name}`),
  'features', 'adapters.default', 'adapters.actions', 'betweenCases.mode', 'betweenCases.beforeEach', 'betweenCases.afterEach', 'tables', 'background',
];

function sourcesOf(fileValue: unknown): Record<string, ConfigSource> {
  return Object.fromEntries(SOURCE_PATHS.map((path) => [path, valueAt(fileValue, `/${path.replace('.', '/')}`) === undefined ? 'default' : 'file']));
}

