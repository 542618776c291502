export * from './ticket-state';
export * from './queue-order';
export * from './numbering';
export * from './estimate';
export * from './ticket-rules';
export * from './privacy';
export * from './queue-stats';
export * from './counter-state';
