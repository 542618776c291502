export * from './ticket-state';
export * from './queue-order';
export * from './numbering';
export * from './estimate';
export * from './ticket-rules';
export * from './privacy';
