export { connect, connectPostgres, connectSqlite, type Db, type Dialect } from './connect';
export { migrate } from './migrate';
export type * from './schema';
