export {
  badUserInput,
  conflict,
  type FieldProblem,
  forbidden,
  notFound,
  PUBLIC_ERROR_CODES,
  rateLimited,
  serviceUnavailable,
  unauthenticated,
} from './codes.js';
export { maskError } from './mask-error.js';
