export * from './quiet-hours';
export * from './sms-templates';
