import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { OcppVersion } from '../protocol/index.js';
import { readSourceFile, type SourceFile, type SourceProblem } from './source-file.js';

/**
 * One paraphrase per requirement id and version (issue 12): `ocpp<version>/_requirements.yaml`
 * maps each id the cases cite to our paraphrase of it, and a case lists the ids it proves. An
 * errata change is then made once, and two cases can no longer paraphrase one requirement two
 * ways. A case may still give its own text (`requirements: { id: text }`), for trees without a
 * catalogue.
 */
export const REQUIREMENTS_FILE = '_requirements.yaml';

/** The requirement catalogues of a test-case tree, read once per version. */
export class RequirementCatalogue {
  readonly problems: SourceProblem[] = [];
  private readonly byVersion = new Map<OcppVersion, Map<string, string>>();

  constructor(private readonly root: string) {}

  /** The paraphrase of a requirement of a version, if the catalogue has it. */
  textOf(ocpp: OcppVersion, id: string): string | undefined {
    return this.of(ocpp).get(id);
  }

  /** Where the catalogue of a version is. */
  fileOf(ocpp: OcppVersion): string {
    return join(this.root, `ocpp${ocpp}`, REQUIREMENTS_FILE);
  }

  private of(ocpp: OcppVersion): Map<string, string> {
    let texts = this.byVersion.get(ocpp);
    if (!texts) {
      texts = this.read(this.fileOf(ocpp));
      this.byVersion.set(ocpp, texts);
    }
    return texts;
  }

  private read(file: string): Map<string, string> {
    if (!existsSync(file)) return new Map();
    const source: SourceFile = readSourceFile(file);
    this.problems.push(...source.problems);
    const texts = new Map<string, string>();
    const value = source.value;
    if (value === null || value === undefined || source.problems.length > 0) return texts;
    if (typeof value !== 'object' || Array.isArray(value)) {
      this.problems.push({ file, line: 1, path: '', message: 'a requirement catalogue maps requirement ids to their paraphrase' });
      return texts;
    }
    for (const [id, text] of Object.entries(value)) {
      if (typeof text === 'string' && text.trim() !== '') texts.set(id, text);
      else this.problems.push({ file, line: source.lineOf([id]), path: id, message: 'the paraphrase must be a non-empty text' });
    }
    return texts;
  }
}
