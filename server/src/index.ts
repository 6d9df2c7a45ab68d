export { createApp, type App, type AppDeps } from './app.ts';
export { loadConfig, parseConfig, type Config, type ConfigInput } from './config.ts';
export { createLogger, type Logger } from './log.ts';
export { createKeys, type Keys } from './redis/keys.ts';
export { REDIS_CLIENT_OPTIONS, startServer, type RunningServer } from './server.ts';
export { loadRoadGraph, type RoadEdge, type RoadGraph } from './roads/road-graph.ts';
export { matchToRoad, pointAtStake, stakeOfMatch } from './roads/map-match.ts';
export { groupCaughtUp, readStreamGroups, type StreamGroupInfo } from './redis/stream-groups.ts';
export { entryFromRaw } from './pipeline/projector.ts';
