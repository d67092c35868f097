/** The query-parameter shapes live with the server, which checks them before Next.js (see server/main.ts). */
export { queryProblem } from '../../server/http/query';
