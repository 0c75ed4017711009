import { describe, expect, it } from 'vitest';
import { CONFIG_JSON_SCHEMA, configJsonSchemaText } from './index.js';

type Node = Record<string, unknown>;

/** Every schema node with its JSON path, to check rules that must hold everywhere. */
function nodesOf(node: Node, path = '#'): Array<[string, Node]> {
  const children: Array<[string, Node]> = [];
  for (const [key, value] of Object.entries(node)) {
    if (key === 'properties' || key === 'definitions') {
      for (const [name, child] of Object.entries(value as Node)) children.push(...nodesOf(child as Node, `${path}/${key}/${name}`));
    } else if ((key === 'items' || key === 'additionalProperties') && typeof value === 'object') {
      children.push(...nodesOf(value as Node, `${path}/${key}`));
    } else if (key === 'oneOf') {
      (value as Node[]).forEach((child, i) => children.push(...nodesOf(child, `${path}/oneOf/${i}`)));
    }
  }
  return [[path, node], ...children];
}

describe('CONFIG_JSON_SCHEMA', () => {
  const nodes = nodesOf(CONFIG_JSON_SCHEMA as Node);

  it('describes every property, for editor hints', () => {
    const undescribed = nodes.filter(([path, node]) => path.includes('/properties/') && typeof node['description'] !== 'string').map(([path]) => path);
    expect(undescribed).toEqual([]);
  });

  it('closes every object with fields, so that typos are errors', () => {
    const open = nodes.filter(([, node]) => node['properties'] && node['additionalProperties'] !== false).map(([path]) => path);
    expect(open).toEqual([]);
  });

  it('prints as JSON equal to the schema', () => {
    expect(JSON.parse(configJsonSchemaText())).toEqual(CONFIG_JSON_SCHEMA);
    expect(configJsonSchemaText().endsWith('}\n')).toBe(true);
  });
});
