import type { Payload } from '../../../protocol/index.js';
import type { CallReply } from '../../../session/index.js';
import type { ActionOutcome } from '../../control.js';
import type { DriverAction, StationContext } from '../context.js';
import type { ConnectorState } from '../station-state.js';
import type { TimerSlot } from '../timers.js';
import type { Authorizer16 } from './authorizer.js';
import type { Configuration } from './configuration.js';
import type { ConnectorSession16, ReservationPort16 } from './transactions.js';

/** ReservationStatus of ReserveNow.conf (1.6 §7.40). */
type ReservationStatus16 = 'Accepted' | 'Faulted' | 'Occupied' | 'Rejected' | 'Unavailable';

/** One reservation; connectorId 0 reserves no connector in particular (1.6 §5.13). */
interface Reservation16 {
  readonly id: number;
  readonly connectorId: number;
  readonly idTag: string;
  readonly parentIdTag?: string;
  readonly expiry: TimerSlot;
}

/**
 * The Reservation profile of the reference Charge Point (1.6 §3.11, §5.1, §5.13): ReserveNow and
 * CancelReservation, the Reserved connector status, expiry, and which idTags a reservation lets
 * charge. The transaction engine asks it through ReservationPort16.
 */
export class Reservations16 implements ReservationPort16 {
  private readonly byId = new Map<number, Reservation16>();
  /** False while the operator configured the Charge Point to refuse reservations (answered Rejected). */
  private accepting = true;
  /** Called after a change the connector statuses may show. */
  onChange: () => void = () => undefined;

  constructor(
    private readonly context: StationContext,
    private readonly configuration: Configuration,
    private readonly authorizer: Authorizer16,
    private readonly session: (connector: ConnectorState) => ConnectorSession16,
  ) {}

  /** ReserveNow (§5.13): a reservationId already held is replaced by the new reservation. */
  reserve(payload: Payload): ReservationStatus16 {
    const id = Number(payload['reservationId']);
    const previous = this.byId.get(id);
    this.byId.delete(id);
    const status = this.statusFor(Number(payload['connectorId']));
    if (status !== 'Accepted') {
      if (previous) this.byId.set(id, previous);
      return status;
    }
    previous?.expiry.clear();
    const reservation: Reservation16 = {
      id, connectorId: Number(payload['connectorId']), idTag: String(payload['idTag']), expiry: this.context.timers.slot(),
      ...(typeof payload['parentIdTag'] === 'string' ? { parentIdTag: payload['parentIdTag'] } : {}),
    };
    this.byId.set(id, reservation);
    // §5.13: at expiryDate the reservation ends and the connector is reported Available.
    const remainingMs = Math.max(0, Date.parse(String(payload['expiryDate'])) - this.context.now().getTime());
    if (!this.context.hasFault('reservation-never-expires')) reservation.expiry.set(remainingMs, () => this.end(reservation));
    this.changed();
    return 'Accepted';
  }

  /** CancelReservation (§5.1): Accepted when the reservationId is held, else Rejected. */
  cancel(reservationId: number): 'Accepted' | 'Rejected' {
    const reservation = this.byId.get(reservationId);
    if (!reservation) return 'Rejected';
    if (!this.context.hasFault('cancel-keeps-reservation')) this.end(reservation);
    return 'Accepted';
  }

  isReserved(connector: ConnectorState): boolean {
    this.dropUnusable();
    if (this.specificFor(connector)) return true;
    // A connector-0 reservation keeps one connector for its idTag: the free ones show Reserved once no spare is left.
    return this.isFree(connector) && this.anyConnector().length >= this.freeConnectors().length;
  }

  mayAuthorize(connector: ConnectorState, idTag: string): boolean {
    if (this.admits(connector, idTag)) return true;
    // §5.13: only a reservation with a parentIdTag needs the incoming idTag's parent, which Authorize.conf may give.
    return this.bindingOn(connector).some((reservation) => reservation.parentIdTag !== undefined);
  }

  admits(connector: ConnectorState, idTag: string): boolean {
    if (this.context.hasFault('reservation-admits-any-tag')) return true;
    const specific = this.specificFor(connector);
    if (specific) return this.matches(specific, idTag);
    const zero = this.anyConnector();
    if (zero.some((reservation) => this.matches(reservation, idTag))) return true;
    // Another idTag may take a connector only while enough stay free for the connector-0 reservations.
    const spare = this.freeConnectors().filter((candidate) => candidate !== connector).length;
    return spare >= zero.length;
  }

  claim(connector: ConnectorState, idTag: string): number | undefined {
    const specific = this.specificFor(connector);
    const used = specific && this.matches(specific, idTag) ? specific : this.anyConnector().find((reservation) => this.matches(reservation, idTag));
    if (!used) return undefined;
    // §5.13 (1): the transaction for the reserved idTag ends the reservation; StartTransaction names it.
    used.expiry.clear();
    this.byId.delete(used.id);
    return used.id;
  }

  /** The operator's switch behind ReserveNow Rejected ("configured not to accept reservations"). */
  setAccepting(accepting: boolean): void {
    this.accepting = accepting;
  }

  private statusFor(connectorId: number): ReservationStatus16 {
    if (!this.accepting) return 'Rejected';
    const { state } = this.context;
    if (connectorId === 0) {
      // §5.13: without ReserveConnectorZeroSupported a connector-0 reservation is Rejected.
      if (!this.configuration.flag('ReserveConnectorZeroSupported')) return 'Rejected';
      const connectors = state.connectors();
      if (this.freeConnectors().length > this.anyConnector().length) return 'Accepted';
      if (connectors.every((connector) => connector.faulted)) return 'Faulted';
      if (connectors.every((connector) => !state.isOperative(connector))) return 'Unavailable';
      return 'Occupied';
    }
    const found = state.connector16(connectorId);
    if (!found) return 'Rejected';
    if (found.connector.faulted) return 'Faulted';
    if (!state.isOperative(found.connector)) return 'Unavailable';
    // §5.13: a connector in use or reserved (for the same or another idTag) is Occupied.
    return this.isFree(found.connector) && this.freeConnectors().length > this.anyConnector().length ? 'Accepted' : 'Occupied';
  }

  private matches(reservation: Reservation16, idTag: string): boolean {
    const parent = this.context.hasFault('reservation-ignores-parent') ? undefined : this.authorizer.parentOf(idTag);
    return [idTag, parent].some((tag) => tag !== undefined && (tag === reservation.idTag || tag === reservation.parentIdTag));
  }

  /** The reservations that decide who may charge at the connector. */
  private bindingOn(connector: ConnectorState): Reservation16[] {
    const specific = this.specificFor(connector);
    return specific ? [specific] : this.anyConnector();
  }

  private specificFor(connector: ConnectorState): Reservation16 | undefined {
    return [...this.byId.values()].find((reservation) => reservation.connectorId === connector.id);
  }

  private anyConnector(): Reservation16[] {
    return [...this.byId.values()].filter((reservation) => reservation.connectorId === 0);
  }

  /** Connectors a new user could take now: usable, idle, and not reserved for one in particular. */
  private freeConnectors(): ConnectorState[] {
    return this.context.state.connectors().filter((connector) => this.isFree(connector));
  }

  private isFree(connector: ConnectorState): boolean {
    const session = this.session(connector);
    return !connector.faulted && this.context.state.isOperative(connector) && !connector.plugged && !session.tx && !session.authorization
      && !session.finishing && !this.specificFor(connector);
  }

  // §5.13 (3): a reservation ends when its connector (or the Charge Point) is Faulted or Unavailable.
  private dropUnusable(): void {
    const { state } = this.context;
    for (const reservation of [...this.byId.values()]) {
      const target = reservation.connectorId === 0 ? undefined : state.connector16(reservation.connectorId)?.connector;
      const unusable = target ? target.faulted || !state.isOperative(target) : !state.operative;
      if (unusable) this.end(reservation, false);
    }
  }

  private end(reservation: Reservation16, report = true): void {
    reservation.expiry.clear();
    this.byId.delete(reservation.id);
    if (report) this.changed();
  }

  private changed(): void {
    // After the answer that made the change: the StatusNotification follows the .conf.
    this.context.timers.soon(() => this.onChange());
  }
}

/** The Central System operations of the Reservation profile (§5.1, §5.13). */
export const RESERVATION_HANDLERS_16: Record<string, (parts: { reservations: Reservations16 }, payload: Payload) => CallReply> = {
  ReserveNow: (parts, payload) => ({ payload: { status: parts.reservations.reserve(payload) } }),
  CancelReservation: (parts, payload) => ({ payload: { status: parts.reservations.cancel(Number(payload['reservationId'])) } }),
};

/** Device actions: the operator configures the Charge Point to refuse reservations, or to take them again. */
export function reservationActions16(reservations: Reservations16): Record<string, DriverAction> {
  const switchTo = (accepting: boolean): ActionOutcome => {
    reservations.setAccepting(accepting);
    return { status: 'done', detail: accepting ? 'reservations are taken' : 'reservations are refused' };
  };
  return { refuseReservations: () => switchTo(false), acceptReservations: () => switchTo(true) };
}
