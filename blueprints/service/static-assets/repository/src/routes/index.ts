import { Router } from '../router';

/** Adds the routes of every resource the service serves (none yet). */
export function registerResourceRoutes(router: Router): void {
  void router;
}
