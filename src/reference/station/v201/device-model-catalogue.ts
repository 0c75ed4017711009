import type { ResolvedStationOptions } from '../options.js';
import type { VariableDefinition } from './device-model.js';

/** The live facts the catalogue reads and the reactions to writes. */
export interface CatalogueLinks {
  options: ResolvedStationOptions;
  now: () => Date;
  stationAvailability: () => string;
  evseAvailability: (evseId: number) => string;
  connectorAvailability: (evseId: number, connectorId: number) => string;
  onHeartbeatIntervalChanged: () => void;
  /** SecurityCtrlr.BasicAuthPassword changed: the station reconnects with it (A01). */
  onBasicAuthPasswordChanged: () => void;
  /** AlignedDataCtrlr.Interval or TxEndedInterval changed: the clock-aligned timers restart (J01). */
  onAlignedDataChanged: () => void;
  /** How many certificates are installed (SecurityCtrlr.CertificateEntries). */
  certificateEntries: () => number;
  /** SecurityCtrlr.CertificateEntries maxLimit (M05.FR.06). */
  certificateEntriesMax: number;
  /** How many charging profiles are installed (SmartChargingCtrlr.Entries:ChargingProfiles). */
  chargingProfileEntries: () => number;
}

const MEASURANDS = [
  'Current.Import', 'Current.Offered', 'Energy.Active.Import.Register', 'Energy.Active.Import.Interval', 'Frequency',
  'Power.Active.Import', 'Power.Offered', 'SoC', 'Voltage',
].join(',');
const TX_POINTS = 'ParkingBayOccupancy,EVConnected,Authorized,PowerPathClosed,EnergyTransfer';
const AVAILABILITY = 'Available,Occupied,Reserved,Unavailable,Faulted';
const ITEMS_PER_MESSAGE = '50';
/** The network connection profile slots the station has (B09). */
const NETWORK_SLOTS = '0,1,2,3';
const BYTES_PER_MESSAGE = '65000';

type Def = Omit<VariableDefinition, 'component' | 'variable'>;
const rw = (dataType: VariableDefinition['dataType'], value: string, extra: Partial<Def> = {}): Def => ({ mutability: 'ReadWrite', dataType, value, ...extra });
const ro = (dataType: VariableDefinition['dataType'], value: string, extra: Partial<Def> = {}): Def => ({ mutability: 'ReadOnly', dataType, value, ...extra });

function controller(name: string, variables: Record<string, Def>): VariableDefinition[] {
  return Object.entries(variables).map(([key, definition]) => {
    const [variableName = key, instance] = key.split(':');
    return { component: { name }, variable: { name: variableName, ...(instance ? { instance } : {}) }, ...definition };
  });
}

/**
 * The station's variables: the required ones of the controller components the station
 * implements (Part 2 §2 "Referenced Components and Variables"), with their mutability.
 */
export function createCatalogue(links: CatalogueLinks): VariableDefinition[] {
  return [...communication(links), ...charging(links), ...hardware(links)];
}

function communication(links: CatalogueLinks): VariableDefinition[] {
  return [
    ...controller('OCPPCommCtrlr', {
      HeartbeatInterval: rw('integer', '300', { unit: 's', minLimit: 1, onChange: links.onHeartbeatIntervalChanged }),
      'MessageTimeout:Default': ro('integer', '30', { unit: 's' }),
      FileTransferProtocols: ro('MemberList', 'HTTP,HTTPS', { valuesList: 'FTP,FTPS,HTTP,HTTPS,SFTP' }),
      // B09: a new network profile priority is used from the next (re)connection on.
      // Part 2 NetworkConfigurationPriority: the available profile slots are reported in valuesList.
      NetworkConfigurationPriority: rw('SequenceList', '0', { rebootRequired: true, valuesList: NETWORK_SLOTS }),
      NetworkProfileConnectionAttempts: rw('integer', '3', { minLimit: 1 }),
      // The slot the current connection was made with; set by the station itself.
      ActiveNetworkProfile: ro('integer', '0'),
      OfflineThreshold: rw('integer', '60', { unit: 's', minLimit: 0 }),
      'MessageAttempts:TransactionEvent': rw('integer', '3', { minLimit: 1 }),
      'MessageAttemptInterval:TransactionEvent': rw('integer', '60', { unit: 's', minLimit: 0 }),
      UnlockOnEVSideDisconnect: rw('boolean', 'true'),
      ResetRetries: rw('integer', '2', { minLimit: 0 }),
      // OCPP-J §5.3. The reference reconnects at once by default (a lab's device takes tens of seconds).
      RetryBackOffRepeatTimes: rw('integer', '3', { minLimit: 0 }),
      RetryBackOffRandomRange: rw('integer', '0', { unit: 's', minLimit: 0 }),
      RetryBackOffWaitMinimum: rw('integer', '0', { unit: 's', minLimit: 0 }),
    }),
    ...controller('AuthCtrlr', {
      Enabled: rw('boolean', 'true'),
      AuthorizeRemoteStart: rw('boolean', 'true'),
      LocalAuthorizeOffline: rw('boolean', 'true'),
      LocalPreAuthorize: rw('boolean', 'false'),
    }),
    ...controller('AuthCacheCtrlr', {
      Available: ro('boolean', 'true'),
      Enabled: rw('boolean', 'true'),
      LifeTime: rw('integer', '86400', { unit: 's', minLimit: 0 }),
    }),
  ];
}

/** The SmartChargingCtrlr limits the reference declares and keeps (Part 2 §2 SmartChargingCtrlr). */
export const SMART_CHARGING_LIMITS = { profileStackLevel: 8, periodsPerSchedule: 24, profileEntries: 16 } as const;

function charging(links: CatalogueLinks): VariableDefinition[] {
  const { options } = links;
  return [
    ...controller('SmartChargingCtrlr', {
      Available: ro('boolean', 'true'),
      Enabled: rw('boolean', 'true'),
      // K01.FR.26, K08.FR.07: the units the station takes; built with trait one-rate-unit, A only (SC-2.1 without SC-2.2).
      RateUnit: ro('MemberList', options.traits.includes('one-rate-unit') ? 'A' : 'A,W', { valuesList: 'A,W' }),
      ProfileStackLevel: ro('integer', String(SMART_CHARGING_LIMITS.profileStackLevel)),
      PeriodsPerSchedule: ro('integer', String(SMART_CHARGING_LIMITS.periodsPerSchedule)),
      'Entries:ChargingProfiles': { mutability: 'ReadOnly', dataType: 'integer', maxLimit: SMART_CHARGING_LIMITS.profileEntries, read: () => String(links.chargingProfileEntries()) },
      LimitChangeSignificance: rw('decimal', '1.0', { unit: 'Percent', minLimit: 0 }),
    }),
    ...controller('TxCtrlr', {
      EVConnectionTimeOut: rw('integer', '60', { unit: 's', minLimit: 1 }),
      StopTxOnEVSideDisconnect: rw('boolean', 'true'),
      StopTxOnInvalidId: rw('boolean', 'true'),
      TxStartPoint: rw('MemberList', 'PowerPathClosed', { valuesList: TX_POINTS }),
      TxStopPoint: rw('MemberList', 'PowerPathClosed', { valuesList: TX_POINTS }),
    }),
    ...controller('SampledDataCtrlr', {
      TxStartedMeasurands: rw('MemberList', 'Energy.Active.Import.Register', { valuesList: MEASURANDS }),
      TxUpdatedMeasurands: rw('MemberList', 'Energy.Active.Import.Register', { valuesList: MEASURANDS }),
      TxUpdatedInterval: rw('integer', '60', { unit: 's', minLimit: 0 }),
      TxEndedMeasurands: rw('MemberList', 'Energy.Active.Import.Register', { valuesList: MEASURANDS }),
      TxEndedInterval: rw('integer', '0', { unit: 's', minLimit: 0 }),
    }),
    ...controller('AlignedDataCtrlr', {
      Interval: rw('integer', '0', { unit: 's', minLimit: 0, onChange: links.onAlignedDataChanged }),
      Measurands: rw('MemberList', 'Energy.Active.Import.Register', { valuesList: MEASURANDS }),
      TxEndedInterval: rw('integer', '0', { unit: 's', minLimit: 0, onChange: links.onAlignedDataChanged }),
      TxEndedMeasurands: rw('MemberList', 'Energy.Active.Import.Register', { valuesList: MEASURANDS }),
    }),
    ...controller('DeviceDataCtrlr', {
      'ItemsPerMessage:GetReport': ro('integer', ITEMS_PER_MESSAGE),
      'ItemsPerMessage:GetVariables': ro('integer', ITEMS_PER_MESSAGE),
      'ItemsPerMessage:SetVariables': ro('integer', ITEMS_PER_MESSAGE),
      'BytesPerMessage:GetReport': ro('integer', BYTES_PER_MESSAGE),
      'BytesPerMessage:GetVariables': ro('integer', BYTES_PER_MESSAGE),
      'BytesPerMessage:SetVariables': ro('integer', BYTES_PER_MESSAGE),
    }),
    ...controller('ClockCtrlr', {
      DateTime: { mutability: 'ReadOnly', dataType: 'dateTime', read: () => links.now().toISOString() },
      // Optional ClockCtrlr variables (Part 2 §2.1 ClockCtrlr): a manually configured daylight-saving transition.
      NextTimeOffsetTransitionDateTime: rw('dateTime', ''),
      TimeOffsetNextTransition: rw('string', ''),
      TimeSource: rw('SequenceList', 'Heartbeat', { valuesList: 'Heartbeat,NTP,GPS,RealTimeClock,MobileNetwork,RadioTimeTransmitter' }),
    }),
    ...controller('SecurityCtrlr', {
      // The profile it connects with: 0 plain ws, 1 with Basic auth, 2 TLS with Basic auth, 3 TLS with a client certificate.
      SecurityProfile: ro('integer', String(options.security?.profile ?? 0)),
      OrganizationName: rw('string', 'ocpp-harness'),
      // A02.FR.17-19: wait this long for CertificateSigned before sending the CSR again, doubling each time, this many times.
      CertSigningWaitMinimum: rw('integer', '60', { minLimit: 1 }),
      CertSigningRepeatTimes: rw('integer', '3', { minLimit: 0 }),
      // A01: Accepted, and the station reconnects with it at once (profiles 1 and 2); A00.FR.205: 16 to 40 characters.
      BasicAuthPassword: { mutability: 'WriteOnly', dataType: 'string', value: options.security?.basicAuth?.password ?? '', minLimit: 16, maxLimit: 40, onChange: links.onBasicAuthPasswordChanged },
      CertificateEntries: { mutability: 'ReadOnly', dataType: 'integer', maxLimit: links.certificateEntriesMax, read: () => String(links.certificateEntries()) },
      // M05.FR.09-14: off by default (the station accepts any valid CSMS root); a setting may turn it on.
      AdditionalRootCertificateCheck: ro('boolean', 'false'),
    }),
  ];
}

function hardware(links: CatalogueLinks): VariableDefinition[] {
  const { options } = links;
  const station: VariableDefinition[] = controller('ChargingStation', {
    AvailabilityState: { mutability: 'ReadOnly', dataType: 'OptionList', valuesList: AVAILABILITY, read: links.stationAvailability },
    Available: ro('boolean', 'true'),
    Model: ro('string', options.identity.model),
    VendorName: ro('string', options.identity.vendor),
    SupplyPhases: ro('integer', '3'),
  });
  const evses = options.evses.flatMap((evse) => [
    ...withEvse(controller('EVSE', {
      AvailabilityState: { mutability: 'ReadOnly', dataType: 'OptionList', valuesList: AVAILABILITY, read: () => links.evseAvailability(evse.id) },
      Available: ro('boolean', 'true'),
      // Part 2 "Power": required for its maxLimit only (the EVSE's maximum power); no Actual value is kept.
      Power: { mutability: 'ReadOnly', dataType: 'decimal', unit: 'W', maxLimit: 11000 },
      SupplyPhases: ro('integer', '3'),
    }), { id: evse.id }),
    ...evse.connectors.flatMap((connector) => withEvse(controller('Connector', {
      AvailabilityState: { mutability: 'ReadOnly', dataType: 'OptionList', valuesList: AVAILABILITY, read: () => links.connectorAvailability(evse.id, connector.id) },
      Available: ro('boolean', 'true'),
      ConnectorType: ro('string', connector.type ?? 'cType2'),
      SupplyPhases: ro('integer', '3'),
    }), { id: evse.id, connectorId: connector.id })),
  ]);
  return [...station, ...evses];
}

function withEvse(definitions: VariableDefinition[], evse: { id: number; connectorId?: number }): VariableDefinition[] {
  return definitions.map((definition) => ({ ...definition, component: { ...definition.component, evse } }));
}
