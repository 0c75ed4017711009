import { parseValueNeed, valueLacks, type ValueNeed } from './declared-values.js';
import type { DeclarationSource } from './declaration-source.js';

/**
 * `var:<Component>.<Variable>`: the station has this variable (GetVariables answers Accepted);
 * `var:<Component>.<Variable>>=N`: its Actual value is an integer of at least N (e.g.
 * `var:SmartChargingCtrlr.ProfileStackLevel>=1`, the prerequisite of TC_K_40_CS);
 * `var:<Component>.<Variable>~V`: its comma-separated list names V (e.g. `var:SmartChargingCtrlr.RateUnit~W`).
 */
const VAR = 'var:';

interface VariableNeed { component: string; variable: string; value?: ValueNeed }

function variableNeed(feature: string): VariableNeed | undefined {
  if (!feature.startsWith(VAR)) return undefined;
  const need = parseValueNeed(feature.slice(VAR.length));
  const [, component, variable] = /^([^.]+)\.([^.]+)$/.exec(need?.name ?? '') ?? [];
  if (!need || !component || !variable) return undefined;
  return { component, variable, ...(need.value ? { value: need.value } : {}) };
}

const nameOf = (component: string, variable: string): string => `${component}.${variable}`;
/** Component and variable names compared without case, so a station is not found lacking a variable over its spelling. */
const keyOf = (component: string, variable: string): string => nameOf(component, variable).toLowerCase();

/**
 * What an OCPP 2.0.1 Charging Station declares of itself in its device model: the variables the
 * cases' `var:` ids name, read with one GetVariables for their Actual values (B06).
 */
export const DECLARATIONS_201: DeclarationSource = {
  request(features) {
    const needs = new Map<string, VariableNeed>();
    for (const need of features.map(variableNeed)) {
      if (need && !needs.has(keyOf(need.component, need.variable))) needs.set(keyOf(need.component, need.variable), need);
    }
    const getVariableData = [...needs.values()].map(({ component, variable }) => ({ component: { name: component }, variable: { name: variable } }));
    return { action: 'GetVariables', payload: { getVariableData } };
  },
  decides: (feature) => variableNeed(feature) !== undefined,
  read(answer) {
    const results = new Map<string, { status: unknown; value: string | undefined }>();
    for (const entry of Array.isArray(answer['getVariableResult']) ? (answer['getVariableResult'] as unknown[]) : []) {
      const { attributeStatus, attributeValue, component, variable } = (entry ?? {}) as Record<string, unknown>;
      const componentName = (component as { name?: unknown } | undefined)?.name;
      const variableName = (variable as { name?: unknown } | undefined)?.name;
      if (typeof componentName !== 'string' || typeof variableName !== 'string') continue;
      results.set(keyOf(componentName, variableName), { status: attributeStatus, value: typeof attributeValue === 'string' ? attributeValue : undefined });
    }
    return {
      lacks(feature) {
        const need = variableNeed(feature);
        if (!need) return undefined;
        const name = nameOf(need.component, need.variable);
        const result = results.get(keyOf(need.component, need.variable));
        if (!result) return `the station's GetVariables answer has no result for ${name}`;
        if (result.status !== 'Accepted') return `the station's GetVariables answers ${String(result.status)} for ${name}`;
        return need.value ? valueLacks(name, result.value, need.value) : undefined;
      },
    };
  },
};
