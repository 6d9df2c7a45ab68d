export * from './ack.ts';
export * from './commands.ts';
export * from './devices.ts';
export * from './domain.ts';
export * from './events.ts';
export * from './geo.ts';
export * from './ingest.ts';
export * from './time.ts';
