export { EventDeriver, deriveEvents, eventFacts } from './derive.js';
export type { EventFacts, EventSource } from './derive.js';
export { eventId } from './id.js';
export { DASH_EVENT_TYPES } from './types.js';
export type { DashEvent, DashEventData, DashEventType, EventEntry, GoalName } from './types.js';
