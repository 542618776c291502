export * from './calls';
export * from './metrics';
export * from './alerts';
export * from './callbacks';
