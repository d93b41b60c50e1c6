/**
 * The catalogue: every scenario the runner knows, in the order `chaos:suite` runs them (cheapest and
 * most fundamental first). Add a scenario by writing its module here and listing it below.
 */
import type { Scenario } from '../src/scenario';
import bandwidthSqueeze from './bandwidth-squeeze';
import brokerCrash from './broker-crash';
import brokerOutage from './broker-outage';
import cacheCrash from './cache-crash';
import cacheOutage from './cache-outage';
import catalogInstanceLoss from './catalog-instance-loss';
import catalogPrimaryDown from './catalog-primary-down';
import connectionReset from './connection-reset';
import databaseCrash from './database-crash';
import dbLatency from './db-latency';
import dependencyTimeout from './dependency-timeout';
import gameDay from './game-day';
import paymentsCrash from './payments-crash';
import replicaCrash from './replica-crash';
import serviceCrash from './service-crash';

export const catalogue: Scenario[] = [
  dbLatency,
  catalogPrimaryDown,
  brokerOutage,
  brokerCrash,
  cacheOutage,
  cacheCrash,
  databaseCrash,
  replicaCrash,
  paymentsCrash,
  serviceCrash,
  catalogInstanceLoss,
  dependencyTimeout,
  connectionReset,
  bandwidthSqueeze,
  gameDay,
];
