export { parseGcTrace, requireCycles } from './parse.js';
