/**
 * The platform library every service builds on. It imports no service.
 * Telemetry is not exported here: it is loaded by `--require` (telemetry/preload) before anything else.
 */

export * as api from './api/schemas';
export { baseConfigSchema, loadConfig, maskSecrets } from './config/load-config';
export { DatabasePool, isDatabaseUnavailable, isStatementError } from './data/database-pool';
export { openDatabase, type PlatformTable, withTransaction } from './data/postgres';
export { closeRedis, connectRedis, type RedisOptions } from './data/redis';
export { type BackoffOptions, backoffDelay } from './dependencies/backoff';
export { DependencyState } from './dependencies/dependency-state';
export { AppError, ErrorCode, type FieldProblem, type Problem, toProblem } from './errors/app-error';
export {
  AdmissionGate,
  type AdmissionGateOptions,
  declareShedReasons,
  type ShedReason,
  shedRequest,
} from './http/admission';
export { type Breaker, type BreakerOptions, createBreaker } from './http/circuit-breaker';
export type { LivenessCheck, ReadinessCheck } from './http/health';
export { callUpstream, jsonOf, type UpstreamRequest, type UpstreamResponse } from './http/http-client';
export { createHttpService, type HttpService } from './http/http-service';
export { createRouter } from './http/router';
export { type PoolOptions, type PoolRequest, UpstreamPool, urlList } from './http/upstream-pool';
export {
  type RequestUser,
  requireAdmin,
  requireUser,
  useInternalAuthSecret,
  userHeaders,
} from './http/user-headers';
export { requestBody, validate } from './http/validate';
export { createLogger } from './logging/logger';
export { Broker, type BrokerOptions } from './messaging/broker';
export type { BrokerConnectionOptions } from './messaging/broker-connection';
export type { ConsumerSpec, IncomingMessage } from './messaging/consumer';
export { type CancelReason, type EventName, type EventPayload, parseEvent } from './messaging/events';
export { handleOnce } from './messaging/inbox';
export { type Messaging, type MessagingOptions, startMessaging } from './messaging/messaging';
export { type EventPublisher, enqueueEvent, OutboxRelay, type OutboxRelayOptions } from './messaging/outbox-relay';
export { BrokerUnavailableError } from './messaging/publisher';
export { exchange } from './messaging/topology';
export { registry } from './metrics/registry';
export { configure, type RunningService, runService } from './service-runner';
export { shutdownTelemetry } from './telemetry/telemetry-handle';
