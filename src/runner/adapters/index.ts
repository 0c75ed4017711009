// runner/adapters: perform the device actions of a test case that OCPP cannot (plug in a cable,
// present a card, make the CSMS send a request): by operator prompt, shell command, HTTP call
// or the built-in reference implementation's control API.
// Must never: judge a case; an adapter reports how an action ended and the runner decides.
export { AdapterConfigError, type ActionContext, type ActionOutcome, type Adapter, type DeviceAction } from './adapter.js';
export * from './reference-adapter.js';
export * from './command-adapter.js';
export * from './http-adapter.js';
export * from './prompt-adapter.js';
export * from './route.js';
