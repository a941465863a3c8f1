export { apportion } from './apportion.js';
