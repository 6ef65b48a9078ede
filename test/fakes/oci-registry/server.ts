// The registry stand-in lives in src/sim (the demo uses it too); tests import it from here.
export { startRegistryStandIn, type RegistryStandIn, type RegistryStandInOptions } from '../../../src/sim/registry-stand-in.js';
