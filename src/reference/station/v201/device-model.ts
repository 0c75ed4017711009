/** Who may read and write a variable (MutabilityEnumType). */
export type Mutability = 'ReadOnly' | 'ReadWrite' | 'WriteOnly';

/** DataEnumType of a variable's characteristics. */
export type DataType = 'string' | 'decimal' | 'integer' | 'dateTime' | 'boolean' | 'OptionList' | 'SequenceList' | 'MemberList';

/** ComponentType as the messages carry it. */
export interface ComponentRef {
  name: string;
  instance?: string;
  evse?: { id: number; connectorId?: number };
}

/** VariableType as the messages carry it. */
export interface VariableRef {
  name: string;
  instance?: string;
}

/** One variable of the device model with its single (Actual) attribute. */
export interface VariableDefinition {
  component: ComponentRef;
  variable: VariableRef;
  mutability: Mutability;
  dataType: DataType;
  unit?: string;
  minLimit?: number;
  maxLimit?: number;
  valuesList?: string;
  value?: string;
  /** A live value (availability, clock) instead of a stored one. */
  read?: () => string;
  /** The new value only takes effect after a reboot (SetVariableStatus RebootRequired). */
  rebootRequired?: boolean;
  onChange?: (value: string) => void;
}

/** SetVariableStatusEnumType. */
export type SetStatus = 'Accepted' | 'Rejected' | 'RebootRequired' | 'UnknownComponent' | 'UnknownVariable' | 'NotSupportedAttributeType';

/** GetVariableStatusEnumType. */
export type GetStatus = 'Accepted' | 'Rejected' | 'UnknownComponent' | 'UnknownVariable' | 'NotSupportedAttributeType';

/** The station's device model: lookup, read and validated write of its variables (B05, B06). */
export class DeviceModel {
  constructor(private readonly definitions: VariableDefinition[]) {}

  /** Every variable, in catalogue order. */
  all(): readonly VariableDefinition[] {
    return this.definitions;
  }

  /** Reads one attribute (B06.FR.06-10). */
  get(component: ComponentRef, variable: VariableRef, attributeType = 'Actual'): { status: GetStatus; value?: string } {
    const found = this.find(component, variable);
    if (typeof found === 'string') return { status: found };
    if (attributeType !== 'Actual') return { status: 'NotSupportedAttributeType' };
    if (found.mutability === 'WriteOnly') return { status: 'Rejected' };
    return { status: 'Accepted', value: valueOf(found) };
  }

  /**
   * Writes one attribute (B05.FR.04-10). `ignoreReadOnly` is the behaviour fault of that name;
   * `refuseEmptyList` the conforming variation of a station that rejects an empty MemberList.
   */
  set(component: ComponentRef, variable: VariableRef, value: string, attributeType = 'Actual', how: SetOptions = {}): { status: SetStatus; reason?: string } {
    const found = this.find(component, variable);
    if (typeof found === 'string') return { status: found };
    if (attributeType !== 'Actual') return { status: 'NotSupportedAttributeType' };
    if (found.mutability === 'ReadOnly' && !how.ignoreReadOnly) return { status: 'Rejected', reason: 'ReadOnly' };
    if (how.refuseEmptyList && found.dataType === 'MemberList' && splitList(value).length === 0) return { status: 'Rejected', reason: 'an empty list is not one of the allowed values' };
    const problem = checkValue(how.ignoreLength && found.dataType === 'string' ? { ...found, minLimit: undefined, maxLimit: undefined } : found, value);
    if (problem) return { status: 'Rejected', reason: problem };
    if (found.read) return { status: 'Rejected', reason: 'ReadOnly' };
    found.value = value;
    found.onChange?.(value);
    return { status: found.rebootRequired ? 'RebootRequired' : 'Accepted' };
  }

  /** The value of a variable the station itself relies on (it must exist in the catalogue). */
  value(componentName: string, variableName: string, variableInstance?: string): string {
    const found = this.find({ name: componentName }, { name: variableName, ...(variableInstance ? { instance: variableInstance } : {}) });
    if (typeof found === 'string') throw new Error(`device model has no ${componentName}.${variableName}`);
    return valueOf(found);
  }

  /** An integer variable's value. */
  integer(componentName: string, variableName: string, variableInstance?: string): number {
    return Number.parseInt(this.value(componentName, variableName, variableInstance), 10);
  }

  /** A boolean variable's value. */
  flag(componentName: string, variableName: string): boolean {
    return this.value(componentName, variableName) === 'true';
  }

  /** A MemberList / SequenceList variable's members. */
  members(componentName: string, variableName: string): string[] {
    return splitList(this.value(componentName, variableName));
  }

  private find(component: ComponentRef, variable: VariableRef): VariableDefinition | 'UnknownComponent' | 'UnknownVariable' {
    const ofComponent = this.definitions.filter((definition) => sameComponent(definition.component, component));
    if (ofComponent.length === 0) return 'UnknownComponent';
    // B06.FR.14/15: instances must match exactly; no instance matches only a variable without one.
    return ofComponent.find((definition) => definition.variable.name === variable.name && (definition.variable.instance || undefined) === (variable.instance || undefined)) ?? 'UnknownVariable';
  }
}

/** How a write is judged besides the variable's own characteristics (see DeviceModel.set). */
export interface SetOptions {
  ignoreReadOnly?: boolean;
  refuseEmptyList?: boolean;
  /** behaviour:short-password-accepted: a string's length is not checked against its limits. */
  ignoreLength?: boolean;
}

/** The current value of a variable ('' for an unset one, B06.FR.13). */
export function valueOf(definition: VariableDefinition): string {
  return definition.read ? definition.read() : definition.value ?? '';
}

/** The members of a comma-separated list value. */
export function splitList(value: string): string[] {
  return value.split(',').map((item) => item.trim()).filter((item) => item.length > 0);
}

function sameComponent(defined: ComponentRef, asked: ComponentRef): boolean {
  if (defined.name !== asked.name || (defined.instance || undefined) !== (asked.instance || undefined)) return false;
  if (!defined.evse || !asked.evse) return !defined.evse && !asked.evse;
  return defined.evse.id === asked.evse.id && defined.evse.connectorId === asked.evse.connectorId;
}

// Part 2, device model data types: dateTime values are RFC 3339, with at most three decimal places of seconds.
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})$/;

// B05.FR.07/08: a badly formatted or out-of-range value is Rejected.
function checkValue(definition: VariableDefinition, value: string): string | undefined {
  const allowed = definition.valuesList ? splitList(definition.valuesList) : undefined;
  switch (definition.dataType) {
    case 'integer':
    case 'decimal': {
      // Part 2, device model data types: integers have no plus sign and no leading zeros; decimals at most six places.
      const pattern = definition.dataType === 'integer' ? /^-?(0|[1-9]\d*)$/ : /^-?\d+(\.\d{1,6})?$/;
      if (!pattern.test(value)) return `not ${definition.dataType === 'integer' ? 'an integer' : 'a decimal'}`;
      const number = Number(value);
      if (definition.minLimit !== undefined && number < definition.minLimit) return `below the minimum ${definition.minLimit}`;
      if (definition.maxLimit !== undefined && number > definition.maxLimit) return `above the maximum ${definition.maxLimit}`;
      return undefined;
    }
    // Part 2 appendices: for a string, minLimit and maxLimit bound its length.
    case 'string':
      if (definition.minLimit !== undefined && value.length < definition.minLimit) return `shorter than ${definition.minLimit} characters`;
      if (definition.maxLimit !== undefined && value.length > definition.maxLimit) return `longer than ${definition.maxLimit} characters`;
      return undefined;
    case 'boolean': return value === 'true' || value === 'false' ? undefined : 'not true or false';
    case 'dateTime': return RFC3339.test(value) && !Number.isNaN(Date.parse(value)) ? undefined : 'not an RFC 3339 date-time';
    case 'OptionList': return allowed && !allowed.includes(value) ? `not one of ${definition.valuesList}` : undefined;
    case 'MemberList':
    case 'SequenceList': {
      const unknown = allowed ? splitList(value).filter((member) => !allowed.includes(member)) : [];
      return unknown.length > 0 ? `unknown members ${unknown.join(', ')}` : undefined;
    }
    default: return undefined;
  }
}
