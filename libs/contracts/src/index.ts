export * from './common';
export * from './auth';
export * from './branches';
export * from './queue';
export * from './events';
export * from './jobs';
export * from './alerts';
