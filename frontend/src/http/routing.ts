import type { RouterOptions } from 'express';

/**
 * Every router answers one spelling of each path: `/login/` and `/LOGIN` are not
 * `/login`. nginx limits and blocks paths by their exact spelling, so a service that
 * answered others would hand out a way around the edge. The app itself gets the same
 * from its `case sensitive routing` and `strict routing` settings.
 */
export const ROUTING: RouterOptions = { caseSensitive: true, strict: true };
