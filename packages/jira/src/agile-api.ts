/** The jira.js Agile operations the tools use (see api.ts). */
export { getAllBoards, getAllSprints } from 'jira.js/agile';
