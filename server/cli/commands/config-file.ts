import { readPoolConfig, type PoolConfig } from '../../config/seed';
import { UsageError } from '../command';

/** The file named on the command line, or FOYER_CONFIG. */
export function configFromArgs(positionals: string[]): PoolConfig {
  const file = positionals[0] ?? process.env.FOYER_CONFIG;
  if (!file) throw new UsageError('give the pool config file, or set FOYER_CONFIG');
  return readPoolConfig(file);
}
