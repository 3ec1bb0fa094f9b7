/** The jira.js Agile operations the tools use (see api.ts). */
export { getAllBoards, getAllSprints, getBoard } from 'jira.js/agile';
