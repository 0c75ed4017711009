/** What a station declares of itself, read off its answer: why it does not declare a feature id. */
export interface StationDeclarations {
  /** Where the id was looked for and what was found there; undefined when the station declares it. */
  lacks(feature: string): string | undefined;
}

/**
 * How a version lets the harness ask a station what it declares (the feature ids of a case's
 * `features:` that the station, rather than the configuration, decides), and how to read the answer.
 */
export interface DeclarationSource {
  /** The CALL that asks the station about these feature ids (those it decides). */
  request(features: readonly string[]): { action: string; payload: Record<string, unknown> };
  /** True for an id the station's answer decides; every other id comes from the configuration only. */
  decides(feature: string): boolean;
  read(answer: Record<string, unknown>): StationDeclarations;
}
