// Moved to src/model/deploy-record.ts (records are model, not a stage). This re-export keeps
// branches written against the old path compiling; import from model/deploy-record.js.
export * from '../../model/deploy-record.js';
