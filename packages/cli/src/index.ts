export { CLIENT_SPECS, CLIENTS, type ClientName, type ClientSpec } from './clients.ts';
export { LEVELS, type Level, type ServerDiagnosis } from './commands/doctor.ts';
export { EXIT, main } from './main.ts';
export { loadRegistry, type RegistryServer } from './registry.ts';
