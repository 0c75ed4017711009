import { isRpcBehaviour } from '../rpc-faults.js';

/**
 * The behaviour faults the reference CSMS acts out itself (fault text → what it then does wrong).
 * Message faults (skip:, set:, ...) need no entry: the session interceptor applies them.
 */
export const CSMS_BEHAVIOUR_FAULTS = {
  'behaviour:accept-any-subprotocol': 'agrees to the first subprotocol a station offers, even one it does not speak, instead of refusing the connection (OCPP-J 2.0.1 §3.1.2, TC_B_58_CSMS)',
  'behaviour:accepts-old-tls': 'over TLS also accepts TLS 1.0 and 1.1, so a station that offers nothing newer is served instead of refused (breaks A00.FR.315/418, TC_A_06_CSMS)',
  'behaviour:new-password-refused': 'keeps admitting a station only with its old Basic-auth password after the station accepted a new BasicAuthPassword, so the station is turned away when it comes back with the new one (breaks A01.FR.03, TC_A_09_CSMS)',
  'behaviour:new-password-assumed': 'takes a new BasicAuthPassword as the station\'s even when the station did not accept it, so the station is turned away with the password it still has (breaks A01.FR.04, TC_A_10_CSMS)',
  'behaviour:csr-signed-other-cn': 'answers a station\'s CSR with a certificate of the CSR\'s key whose CN is not the one the CSR asked for (the station identity with -OTHER appended), in CertificateSigned, so the station cannot use it (breaks A02.FR.06 as the CSMS\'s part, A00.FR.511; 2.0.1 TC_A_11_CSMS, 1.6 TC_074_CSMS)',
  'behaviour:csr-signed-other-key': 'answers a station\'s CSR with a certificate for another key than the CSR\'s, in CertificateSigned (breaks A02.FR.06 as the CSMS\'s part, TC_A_11_CSMS)',
  'behaviour:renewed-certificate-refused': 'at security profile 3 holds each station to the client certificate it first connected with, so when the station reconnects with the certificate the CSMS signed for its CSR the upgrade is refused (HTTP 403) (breaks Part 6 TC_A_11_CSMS step 3 of erratum 6.3.2, 1.6 TC_074_CSMS step 8: the CSMS accepts the renewed certificate)',
  'behaviour:accept-unknown-token': 'answers Accepted for id tokens it does not know, instead of Invalid (1.6) or Unknown (2.0.1)',
  'behaviour:no-security-error-when-pending':
    'answers the CALLs of a station it has not accepted as if it had, instead of CALLERROR SecurityError (B01.FR.10, B02.FR.09, B03.FR.07; OCPP-J 1.6 errata §3.10)',
  'behaviour:wrong-transaction-id': 'answers every OCPP 1.6 StartTransaction with transactionId 0, so transactions cannot be told apart',
  'behaviour:boot-interval-zero': 'answers an accepted BootNotification with interval 0, so the station gets no heartbeat interval (B01.FR.04)',
  'behaviour:close-when-pending': 'closes the WebSocket right after answering a BootNotification with Pending (B02.FR.06; 1.6 §4.2)',
  'behaviour:send-while-rejected': 'lets csmsSend send requests to a station whose boot it Rejected (B03.FR.03; 1.6 §4.2)',
  'behaviour:remote-start-while-pending':
    'lets csmsSend send RequestStart/StopTransaction (1.6: RemoteStart/StopTransaction) to a Pending station (B02.FR.05; 1.6 §4.2)',
  'behaviour:no-id-token-info':
    'leaves idTokenInfo out of the TransactionEvent response when the request carried an idToken (E01.FR.12, E03.FR.02); 1.6: idTagInfo out of StopTransaction.conf',
  'behaviour:no-master-pass-group':
    'answers a master pass token (one of the MasterPassGroupId group) without its groupIdToken, in Authorize and TransactionEvent responses, so the station cannot tell it is a master pass (C16)',
  'behaviour:master-pass-stop-rejected':
    'answers a TransactionEvent that ends a transaction with stoppedReason MasterPass with idTokenInfo status Invalid when its idToken is not the one that authorized the transaction, as if only the driver could stop it (C16)',
  'behaviour:start-requires-authorize':
    'answers an OCPP 1.6 StartTransaction Invalid when its idTag was not authorized with Authorize.req on the same connection, so a charge point that starts from its Authorization Cache is refused (1.6 §3.5.1, TC_007_CSMS)',
  'behaviour:reject-preparing-to-available':
    'answers an OCPP 1.6 StatusNotification that takes a connector from Preparing back to Available with CALLERROR GenericError, as if a session could end only through a transaction (1.6 §4.9, TC_004_2_CSMS, TC_011_2_CSMS)',
  'behaviour:close-on-declined':
    'closes the connection when a station declines a request csmsSend sent (status Rejected, NotSupported, UnlockFailed, Unknown, ..., or CALLERROR NotSupported / NotImplemented), instead of taking the answer and carrying on (1.6 §5.3, §5.11, §5.12, §5.18; 2.0.1 K01.FR.29, K10.FR.01)',
  'behaviour:queued-transaction-refused':
    'answers an OCPP 1.6 StartTransaction whose timestamp lies more than a minute back (one the station queued while offline) with idTagInfo Invalid, instead of processing it as any other (1.6 §3.7, §4.8)',
  'behaviour:status-fault-refused':
    'answers an OCPP 1.6 StatusNotification that reports an error (errorCode other than NoError, e.g. ConnectorLockFailure) with CALLERROR InternalError, instead of taking the report (1.6 §4.9)',
  'behaviour:reservation-start-rejected': 'answers an OCPP 1.6 StartTransaction that carries a reservationId with idTagInfo status Invalid, as if a transaction could not end a reservation (1.6 §4.8, §5.13)',
  // Issue 17, connection-level security (A00): each admits what a CSMS must refuse.
  'behaviour:accepts-wrong-username': 'admits a station whose Basic-auth username is not its identity, as long as the password is right (breaks A00.FR.204, TC_A_02_CSMS)',
  'behaviour:accepts-wrong-password': 'admits a station whose Basic-auth password is wrong (breaks A00.FR.204, TC_A_03_CSMS)',
  'behaviour:accepts-untrusted-client-certificate': 'at security profile 3 admits a client certificate that does not chain to a trusted root or is not valid now (breaks A00.FR.407, TC_A_08_CSMS)',
  'behaviour:serves-old-tls-only': 'over TLS speaks only TLS 1.0 and 1.1, so a station that keeps to TLS 1.2 or later cannot connect (breaks A00.FR.313/416, TC_A_07_CSMS)',
  'behaviour:short-server-key': 'over TLS serves a server certificate with an RSA key of 1024 bits, from its usual root and for its usual hosts (breaks A00.FR.502, TC_A_04_CSMS)',
  'behaviour:ignores-client-certificate-cn': 'at security profile 3 admits a client certificate whose commonName is another station\'s identity (breaks A00.FR.405, TC_A_08_CSMS)',
  'behaviour:accepts-lower-profile-after-upgrade': 'keeps admitting a station at its old security profile after the station connected at the higher one it was upgraded to (breaks A05.FR.07; 1.6 whitepaper A05.FR.09; TC_A_19_CSMS, TC_083_CSMS)',
  'behaviour:sc-new-profile-id': 'gives every charging profile it sends with SetChargingProfile a new chargingProfile.id, so a profile meant to replace an installed one is set beside it (breaks K01.FR.05/K01.FR.06, TC_K_04_CSMS)',
} as const satisfies Record<string, string>;

/** The name of one CSMS behaviour fault, without its `behaviour:` prefix. */
export type CsmsBehaviour = keyof typeof CSMS_BEHAVIOUR_FAULTS extends `behaviour:${infer Name}` ? Name : never;

/** The behaviours switched on, as a typed set the handlers ask. */
export class CsmsBehaviours {
  constructor(private readonly names: ReadonlySet<string>) {}

  /** True when the fault is switched on. */
  has(name: CsmsBehaviour): boolean {
    return this.names.has(name);
  }

  /** Behaviour names given that this CSMS does not know (a typo in a fault list). */
  unknown(): string[] {
    return [...this.names].filter((name) => !Object.hasOwn(CSMS_BEHAVIOUR_FAULTS, `behaviour:${name}`) && !isRpcBehaviour(name));
  }
}
