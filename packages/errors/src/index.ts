export {
  badUserInput,
  conflict,
  type FieldProblem,
  forbidden,
  notFound,
  PUBLIC_ERROR_CODES,
  unauthenticated,
} from './codes.js';
export { maskError } from './mask-error.js';
