import { isRpcBehaviour } from '../rpc-faults.js';

/**
 * The behaviour faults the reference station acts out (`behaviour:<name>`), each a precise way
 * to break one requirement, so the harness can prove its test cases fail when they should.
 */
export const STATION_BEHAVIOUR_FAULTS = {
  'behaviour:no-status-after-boot': 'sends no StatusNotification for its connectors after the boot is accepted (breaks B01.FR.05, OCPP 1.6 §4.9)',
  'behaviour:first-connector-status-only': 'after an accepted boot reports its first connector only, taking the others as reported (breaks B01.FR.05 on a station with more than one connector; 2.0.1 only)',
  'behaviour:boot-without-reason-remote-reset': 'reports reason PowerUp in the BootNotification that follows a Reset (breaks B01.FR.09 / B11.FR.04)',
  'behaviour:ignore-heartbeat-interval': 'sends heartbeats at half the interval the CSMS set (breaks B01.FR.04, OCPP 1.6 §4.2)',
  'behaviour:no-reconnect': 'never reconnects after the CSMS or the network dropped the connection (breaks B01.FR.03 / OCPP-J reconnection)',
  'behaviour:seqno-not-increasing': 'sends every TransactionEvent of a transaction with seqNo 0 (breaks E01.FR.07, the sequence number rules; 2.0.1 only)',
  'behaviour:transaction-id-changes': 'gives every TransactionEvent after Started a new transactionId (E01.FR.08); 1.6: StopTransaction and MeterValues carry another id than the StartTransaction.conf gave (§4.10)',
  'behaviour:no-meter-values': 'leaves out meter values: no meterValue in TransactionEvent, no MeterValues messages (breaks E01.FR.09, E06.FR.11, OCPP 1.6 §4.7)',
  'behaviour:no-security-event-after-boot': 'sends no SecurityEventNotification StartupOfTheDevice/ResetOrReboot after the boot (breaks A04.FR.01)',
  'behaviour:boot-before-interval': 'retries a Pending or Rejected boot after a tenth of the interval (breaks B02.FR.04, B03.FR.06)',
  'behaviour:messages-while-pending': 'sends a Heartbeat while its boot is Pending (breaks B02.FR.02)',
  'behaviour:answer-while-rejected': 'answers the CSMS\'s requests while its boot is Rejected as if it were accepted, instead of CALLERROR SecurityError (breaks B03.FR.08)',
  'behaviour:ignore-readonly': 'accepts SetVariables / ChangeConfiguration of read-only variables (breaks B05.FR.09, OCPP 1.6 §5.3)',
  'behaviour:no-authorize': 'starts charging for a presented id token without asking the CSMS (breaks C01.FR.02)',
  'behaviour:offline-flag-missing': 'leaves out offline=true on TransactionEvents queued while offline (breaks E04.FR.03)',
  'behaviour:no-retry-on-timeout': 'drops a transaction message the CSMS did not answer within MessageTimeout instead of sending it again (breaks E13.FR.02, OCPP 1.6 §3.7.1)',
  'behaviour:queue-out-of-order': 'delivers transaction messages queued while offline newest first (breaks E04.FR.02, OCPP 1.6 §3.7)',
  'behaviour:no-back-off': 'reconnects at once after a connection loss, ignoring RetryBackOffWaitMinimum (breaks OCPP-J 2.0.1 §5.3)',
  'behaviour:back-off-not-doubled': 'waits RetryBackOffWaitMinimum before every reconnection attempt instead of doubling it after a failed one (breaks OCPP-J 2.0.1 §5.3)',
  'behaviour:ignore-network-priority': 'after a reboot connects to the endpoint it was delivered with, whatever NetworkConfigurationPriority says (breaks B10.FR.04)',
  'behaviour:trust-delivered-root-only': 'over TLS verifies the CSMS\'s server certificate only with the CSMS root it was delivered with, ignoring CSMS roots installed since, so it cannot connect to a CSMS whose certificate a new root signed (breaks M05 / B10 migration to a new CSMS root, TC_B_50_CS)',
  'behaviour:no-profile-fallback': 'keeps trying the first entry of NetworkConfigurationPriority and never falls back to the next (breaks B10.FR.03)',
  'behaviour:log-upload-skipped': 'answers GetLog and reports Uploading and Uploaded without ever sending the log file (breaks N01.FR.02)',
  'behaviour:no-log-uploaded-status': 'uploads the log but never reports LogStatusNotification Uploaded (breaks N01.FR.09)',
  'behaviour:log-upload-failure-ignored': 'reports Uploaded when the server refused the log upload, instead of a failure status (breaks N01.FR.10)',
  'behaviour:log-retries-ignored': 'gives up a failed log upload after the first attempt, ignoring the retries and retryInterval of the GetLogRequest (TC_N_26_CS)',
  'behaviour:accept-invalid-certificate': 'installs an expired (or not yet valid) root certificate and answers InstallCertificate Accepted instead of Rejected (breaks M05.FR.07)',
  'behaviour:install-not-kept': 'answers InstallCertificate Accepted but keeps nothing (breaks M05.FR.02)',
  'behaviour:wrong-certificate-hash': 'reports the serialNumber of its certificates in decimal instead of hexadecimal in GetInstalledCertificateIds (breaks M03.FR.04, the CertificateHashDataType)',
  'behaviour:ignore-certificate-type': 'answers GetInstalledCertificateIds with every installed certificate, whatever certificateType was asked (breaks M03.FR.02)',
  'behaviour:first-certificate-type-only': 'answers GetInstalledCertificateIds only for the first of the certificateTypes asked (breaks M03.FR.04)',
  'behaviour:omitted-type-matches-nothing': 'answers GetInstalledCertificateIds without certificateType with NotFound instead of every installed certificate (breaks M03.FR.03/04)',
  'behaviour:delete-not-removed': 'answers DeleteCertificate Accepted but keeps the certificate (breaks M04.FR.02)',
  'behaviour:delete-unknown-accepted': 'answers DeleteCertificate Accepted when no installed certificate matches the hash data, instead of NotFound (breaks M04.FR.04)',
  'behaviour:firmware-accepts-untrusted-certificate': 'accepts an UpdateFirmware whose signing certificate is absent or not issued by an installed manufacturer root, and goes on to download (breaks L01.FR.21, L01.FR.22)',
  'behaviour:firmware-no-invalid-certificate-event': 'answers InvalidCertificate but sends no SecurityEventNotification InvalidFirmwareSigningCertificate (breaks L01.FR.02)',
  'behaviour:firmware-ignores-retrieve-time': 'downloads at once when retrieveDateTime lies ahead, without reporting DownloadScheduled (breaks L01.FR.13)',
  'behaviour:firmware-no-downloaded-status': 'reports no Downloaded status after the download (breaks L01.FR.01)',
  'behaviour:firmware-skips-signature-check': 'installs the downloaded image without checking its signature: neither SignatureVerified nor InvalidSignature, a badly signed image is installed (breaks L01.FR.04, L01.FR.12)',
  'behaviour:firmware-no-invalid-signature-event': 'reports InvalidSignature but sends no SecurityEventNotification InvalidFirmwareSignature (breaks L01.FR.03)',
  'behaviour:firmware-ignores-install-time': 'installs at once when installDateTime lies ahead, without reporting InstallScheduled (breaks L01.FR.16)',
  'behaviour:firmware-no-download-failed-status': 'falls silent when the firmware cannot be downloaded instead of reporting DownloadFailed (breaks L01.FR.30)',
  'behaviour:firmware-skips-install-verification': 'installs an image that fails its install verification as if it were sound, reporting Installed instead of InstallVerificationFailed (breaks L01.FR.29)',
  'behaviour:firmware-wrong-request-id': 'reports the firmware statuses with another requestId than the UpdateFirmware had (breaks L01.FR.10)',
  'behaviour:firmware-no-updated-event': 'sends no SecurityEventNotification FirmwareUpdated after reporting Installed (breaks L01.FR.31)',
  'behaviour:remote-start-on-busy-connector': 'answers Accepted to a RemoteStartTransaction for a connector whose transaction is running (and starts nothing), instead of Rejected (breaks OCPP 1.6 §5.11, TC_026_CS)',
  'behaviour:remote-start-on-connector-zero': 'takes a RemoteStartTransaction for connectorId 0 as one without a connector and starts on a free connector, instead of rejecting it (breaks OCPP 1.6 §6.33, TC_027_CS)',
  'behaviour:remote-stop-any-transaction': 'stops the running transaction on a RemoteStopTransaction whatever transactionId it names, instead of rejecting an unknown id (breaks OCPP 1.6 §5.12, TC_028_CS)',
  'behaviour:accept-malformed-configuration': 'accepts and stores a ChangeConfiguration value of the wrong format (a key of type integer set to text), instead of Rejected (breaks OCPP 1.6 §5.3, TC_040_2_CS)',
  'behaviour:charge-despite-invalid-tag': 'starts a transaction for an idTag the Central System answered Authorize.conf with a status other than Accepted, as if it were Accepted (breaks OCPP 1.6 §4.1, TC_023_CS)',
  'behaviour:charge-while-faulted': 'takes a token at a Faulted connector and starts a transaction there once the cable is in (breaks OCPP 1.6 §4.9: Faulted is not available for charging, TC_041_CS)',
  'behaviour:availability-lost-on-reboot': 'forgets after a power cut that ChangeAvailability set it or its connectors Inoperative, and boots Available (breaks OCPP 1.6 §5.2: the availability persists a reboot, TC_034_CS)',
  'behaviour:offline-messages-lost': 'drops the transaction messages (StartTransaction, StopTransaction, MeterValues) that arise while it is offline instead of queueing them for delivery after the reconnect (breaks OCPP 1.6 §3.7, TC_036_CS to TC_039_CS)',
  'behaviour:no-offline-authorization': 'refuses every idTag while offline, although LocalAuthorizeOffline is true and its Authorization Cache holds the idTag as Accepted (breaks OCPP 1.6 §3.5, TC_037_1_CS)',
  'behaviour:ignore-invalid-start-status': 'goes on charging when the StartTransaction.conf of a transaction started offline says the idTag is not Accepted, whatever StopTransactionOnInvalidId says (breaks OCPP 1.6 §3.5.4, TC_037_2_CS, TC_037_3_CS)',
  'behaviour:charge-despite-lock-failure': 'ignores a cable lock that fails: reports no ConnectorLockFailure and starts the transaction once the cable is in (breaks OCPP 1.6 §4.9, TC_024_CS)',
  'behaviour:forget-transactions-on-power-loss': 'loses the transactions that ran when the power failed: after the boot it never sends their StopTransaction (reason PowerLoss) (breaks OCPP 1.6 §4.10, TC_032_2_CS)',
  'behaviour:queue-without-waiting': 'delivers its queued transaction messages all at once after a reconnect, each CALL sent before the previous one was answered, so the StopTransaction of a transaction started offline lacks the transactionId its StartTransaction.conf gives (breaks OCPP-J 1.6 §4.1.1 and OCPP 1.6 §3.7, TC_039_CS)',
  // Conforming variations, for a case's mustPassWith: what a station may do instead of what the reference does.
  'behaviour:status-by-notify-event': 'a conforming variation: reports its connectors\' states by NotifyEvent (a Delta of Connector.AvailabilityState) instead of StatusNotification, as Part 6 allows (2.0.1 only)',
  'behaviour:refuse-empty-member-list': 'a conforming variation: rejects a SetVariables that sets a MemberList variable to the empty list, which the valuesList of a station may not allow (2.0.1 only)',
} as const satisfies Record<string, string>;

/** The name of a station behaviour fault, without its `behaviour:` prefix. */
export type StationBehaviourFault = keyof typeof STATION_BEHAVIOUR_FAULTS extends `behaviour:${infer Name}` ? Name : never;

/** Rejects behaviour names (without prefix) the station does not know: a typo would otherwise silently pass. */
export function checkStationBehaviourFaults(names: Iterable<string>): void {
  const unknown = [...names].filter((name) => !Object.hasOwn(STATION_BEHAVIOUR_FAULTS, `behaviour:${name}`) && !isRpcBehaviour(name));
  if (unknown.length > 0) {
    throw new Error(`the reference station knows no behaviour fault ${unknown.map((name) => `"behaviour:${name}"`).join(', ')}; it knows: ${Object.keys(STATION_BEHAVIOUR_FAULTS).join(', ')}`);
  }
}
