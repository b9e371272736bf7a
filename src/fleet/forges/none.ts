import { ForgeProvider } from './forge';

/**
 * `none`: the fleet pushes the update branch and opens nothing. It declares `opensPullRequests: false`, so
 * `createForge('none')` gives no client and the fleet never asks it for a pull request.
 */
export const noneForge: ForgeProvider = {
  alias: 'none',
  help: 'push the update branch only and open no pull request (the default)',
  options: [],
  opensPullRequests: false,
  create: () => ({
    openPullRequest: async () => {
      throw new Error('the none forge opens no pull request (createForge gives no client for it)');
    },
  }),
};
