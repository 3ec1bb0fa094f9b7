/**
 * The jira.js operations the tools use, re-exported by name so the bundle keeps only these (and their response
 * schemas) instead of the whole platform API; loaded on the first call, never at start-up.
 */
export {
  addComment,
  addWorklog,
  assignIssue,
  createIssue,
  doTransition,
  editIssue,
  findUsers,
  getComments,
  getCreateIssueMetaIssueTypeId,
  getCreateIssueMetaIssueTypes,
  getCurrentUser,
  getFields,
  getIssue,
  getIssueLinkTypes,
  getMyPermissions,
  getProject,
  getTransitions,
  linkIssues,
  searchAndReconsileIssuesUsingJql,
  searchProjects,
} from 'jira.js/cloud';
