import type { OcppVersion } from '../protocol/index.js';
import { DECLARATIONS_16 } from './declarations-16.js';
import { DECLARATIONS_201 } from './declarations-201.js';
import type { DeclarationSource } from './declaration-source.js';

export type { DeclarationSource, StationDeclarations } from './declaration-source.js';

/** How a station of this version is asked what it declares. */
export function declarationSourceOf(version: OcppVersion): DeclarationSource {
  if (version === '1.6') return DECLARATIONS_16;
  // 2.1 is 2.0.1's device model plus more (issue 18 names 2.0.1; 2.1 asks the same way).
  return DECLARATIONS_201;
}
