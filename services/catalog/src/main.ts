import { createLogger, runService } from '@confeitaria/platform';
import { service, start } from './app';

runService(createLogger(service, process.env.LOG_LEVEL ?? 'info'), start);
