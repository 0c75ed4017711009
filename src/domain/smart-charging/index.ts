// Smart charging: the composite-schedule oracle (2.0.1 Part 2 block K, 1.6 §3.13) and the comparison
// of a schedule a SUT reported or set with the oracle's. Pure: times are epoch milliseconds given by
// the caller or its clock.
export * from './profile.js';
export * from './units.js';
export { isValidAt, scheduleValueAt, type ScheduleValue } from './schedule-timeline.js';
export * from './composite.js';
export * from './wire-schedule.js';
export * from './compare-schedules.js';
export * from './profile-rules.js';
