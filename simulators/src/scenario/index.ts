export * from './load.ts';
export * from './player.ts';
export * from './runner.ts';
export * from './schema.ts';
