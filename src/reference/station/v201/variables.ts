import type { Payload } from '../../../protocol/index.js';
import type { CallReply } from '../../../session/index.js';
import type { StationContext } from '../context.js';
import { upgradeProblem } from './network-profile.js';
import { valueOf, type ComponentRef, type DeviceModel, type VariableDefinition, type VariableRef } from './device-model.js';

interface VariableData {
  component: ComponentRef;
  variable: VariableRef;
  attributeType?: string;
  attributeValue?: string;
}

/** GetVariables (B06): one result per requested item, in order, with the same component and variable. */
export function getVariables(model: DeviceModel, payload: Payload): CallReply {
  const items = (payload['getVariableData'] ?? []) as VariableData[];
  // B06.FR.16: more items than ItemsPerMessageGetVariables may be refused.
  if (items.length > model.integer('DeviceDataCtrlr', 'ItemsPerMessage', 'GetVariables')) {
    return { error: 'OccurrenceConstraintViolation', description: 'more getVariableData items than ItemsPerMessageGetVariables' };
  }
  const getVariableResult = items.map((item) => {
    const attributeType = item.attributeType ?? 'Actual';
    const { status, value } = model.get(item.component, item.variable, attributeType);
    // B06.FR.11: attributeType Actual when the request gave none; B06.FR.06-08: no value unless Accepted.
    return { attributeStatus: status, attributeType, component: item.component, variable: item.variable, ...(status === 'Accepted' ? { attributeValue: value } : {}) };
  });
  return { payload: { getVariableResult } };
}

/** SetVariables (B05): validated writes, one result per item (B05.FR.01-12). */
export function setVariables(model: DeviceModel, context: StationContext, payload: Payload, hasStationCertificate: () => boolean = () => false): CallReply {
  const items = (payload['setVariableData'] ?? []) as VariableData[];
  if (items.length > model.integer('DeviceDataCtrlr', 'ItemsPerMessage', 'SetVariables')) {
    return { error: 'OccurrenceConstraintViolation', description: 'more setVariableData items than ItemsPerMessageSetVariables' };
  }
  const setVariableResult = items.map((item) => {
    const attributeType = item.attributeType ?? 'Actual';
    const value = String(item.attributeValue ?? '');
    const vetoed = isNetworkPriority(item) ? upgradeProblem(model, context, value, hasStationCertificate()) : undefined;
    const { status, reason } = vetoed ? { status: 'Rejected', reason: vetoed } : model.set(item.component, item.variable, value, attributeType, { ignoreReadOnly: context.hasFault('ignore-readonly'), refuseEmptyList: context.hasFault('refuse-empty-member-list'), ignoreLength: context.hasFault('short-password-accepted') });
    return { attributeType, attributeStatus: status, component: item.component, variable: item.variable, ...(reason ? { attributeStatusInfo: { reasonCode: reasonCode(reason), additionalInfo: reason } } : {}) };
  });
  return { payload: { setVariableResult } };
}

function isNetworkPriority(item: VariableData): boolean {
  return item.component.name === 'OCPPCommCtrlr' && item.variable.name === 'NetworkConfigurationPriority';
}

function reasonCode(reason: string): string {
  return reason === 'ReadOnly' ? 'ReadOnly' : 'InvalidValue';
}

const BASE_REPORTS: Record<string, (definition: VariableDefinition) => boolean> = {
  // B07.FR.07: everything the operator can set.
  ConfigurationInventory: (definition) => definition.mutability !== 'ReadOnly',
  // B07.FR.08: everything.
  FullInventory: () => true,
  // B07.FR.09: availability of the station, its EVSEs and connectors.
  SummaryInventory: (definition) => definition.variable.name === 'AvailabilityState',
};

/** GetBaseReport (B07): Accepted, then the report in NotifyReport parts after the answer went out. */
export function getBaseReport(model: DeviceModel, context: StationContext, payload: Payload): CallReply {
  const select = BASE_REPORTS[String(payload['reportBase'])];
  if (!select) return { payload: { status: 'NotSupported' } };
  const requestId = Number(payload['requestId']);
  context.timers.soon(() => sendReport(model, context, requestId, model.all().filter(select)));
  return { payload: { status: 'Accepted' } };
}

/** GetReport (B08): the variables matching the requested components/variables; EmptyResultSet when none. */
export function getReport(model: DeviceModel, context: StationContext, payload: Payload): CallReply {
  const wanted = (payload['componentVariable'] ?? []) as Array<{ component: ComponentRef; variable?: VariableRef }>;
  const criteria = (payload['componentCriteria'] ?? []) as string[];
  const selected = model.all().filter((definition) => matchesWanted(definition, wanted) && matchesCriteria(definition, criteria));
  if (selected.length === 0) return { payload: { status: 'EmptyResultSet' } };
  const requestId = Number(payload['requestId']);
  context.timers.soon(() => sendReport(model, context, requestId, selected));
  return { payload: { status: 'Accepted' } };
}

// B08.FR.21-25: a component without evse or instance in the request stands for all of them.
function matchesWanted(definition: VariableDefinition, wanted: ReadonlyArray<{ component: ComponentRef; variable?: VariableRef }>): boolean {
  if (wanted.length === 0) return true;
  return wanted.some(({ component, variable }) => {
    if (component.name !== definition.component.name) return false;
    if (component.instance && component.instance !== definition.component.instance) return false;
    if (component.evse && (component.evse.id !== definition.component.evse?.id || (component.evse.connectorId !== undefined && component.evse.connectorId !== definition.component.evse.connectorId))) return false;
    if (!variable) return true;
    return variable.name === definition.variable.name && (!variable.instance || variable.instance === definition.variable.instance);
  });
}

// B08: ComponentCriterionEnumType; every component the station has is Active, Available and Enabled, none has a Problem.
function matchesCriteria(_definition: VariableDefinition, criteria: readonly string[]): boolean {
  return criteria.length === 0 || criteria.some((criterion) => criterion !== 'Problem');
}

async function sendReport(model: DeviceModel, context: StationContext, requestId: number, definitions: readonly VariableDefinition[]): Promise<void> {
  const perMessage = Math.max(1, model.integer('DeviceDataCtrlr', 'ItemsPerMessage', 'GetReport'));
  const parts = Math.max(1, Math.ceil(definitions.length / perMessage));
  for (let seqNo = 0; seqNo < parts; seqNo++) {
    const reportData = definitions.slice(seqNo * perMessage, (seqNo + 1) * perMessage).map(reportDataOf);
    // B07.FR.04: the requestId of the request; B07.FR.10: seqNo counts from 0; tbc on all but the last part.
    const outcome = await context.send('NotifyReport', {
      requestId, generatedAt: context.now().toISOString(), seqNo, tbc: seqNo < parts - 1, ...(reportData.length > 0 ? { reportData } : {}),
    }, { requested: true });
    if (outcome.kind === 'closed') return;
  }
}

function reportDataOf(definition: VariableDefinition): Payload {
  const attribute: Payload = { type: 'Actual', mutability: definition.mutability, persistent: true, constant: definition.mutability === 'ReadOnly' && !definition.read };
  // A WriteOnly value is never reported (B06.FR.09 applies to reports too); nor is a value the station does not keep (EVSE.Power).
  if (definition.mutability !== 'WriteOnly' && (definition.value !== undefined || definition.read)) attribute['value'] = valueOf(definition);
  const characteristics: Payload = { dataType: definition.dataType, supportsMonitoring: false };
  if (definition.unit) characteristics['unit'] = definition.unit;
  if (definition.minLimit !== undefined) characteristics['minLimit'] = definition.minLimit;
  if (definition.maxLimit !== undefined) characteristics['maxLimit'] = definition.maxLimit;
  if (definition.valuesList) characteristics['valuesList'] = definition.valuesList;
  return { component: definition.component, variable: definition.variable, variableAttribute: [attribute], variableCharacteristics: characteristics };
}
