import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import { pointerSegments } from './errors.js';

/**
 * A function giving the 1-based line of the node at a JSON pointer in a parsed YAML document. A
 * map member is placed on its key's line (its value may be empty or start below); a path the file
 * does not contain falls back to its nearest ancestor that it does.
 */
export function yamlLineFinder(doc: Document, lineCounter: LineCounter): (jsonPointer: string) => number | undefined {
  const lineAt = (offset: number | undefined) => (offset === undefined ? undefined : lineCounter.linePos(offset).line);
  return (jsonPointer) => {
    let node: unknown = doc.contents;
    let line = lineAt((node as Node | null)?.range?.[0]);
    for (const segment of pointerSegments(jsonPointer)) {
      if (isAlias(node)) node = node.resolve(doc);
      if (isMap(node)) {
        const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === segment);
        if (!pair) break;
        line = lineAt((pair.key as Node).range?.[0]) ?? line;
        node = pair.value;
      } else if (isSeq(node)) {
        const item = node.items[Number(segment)] as Node | undefined;
        if (!item) break;
        line = lineAt(item.range?.[0]) ?? line;
        node = item;
      } else {
        break;
      }
    }
    return line;
  };
}
