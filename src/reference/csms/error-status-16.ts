import type { CsmsContext } from './context.js';

/**
 * Acts out `behaviour:status-fault-refused`: true when the CSMS, against 1.6 §4.9 (every status
 * report is answered), would refuse a StatusNotification that reports an error. Without the fault: false.
 */
export function refusesErrorStatus(context: CsmsContext, errorCode: string): boolean {
  return context.behaviours.has('status-fault-refused') && errorCode !== 'NoError';
}
